// 我的补课: makeup bookings filtered by status, each opening its detail; cancel before the
// cancellation deadline (M5).
const loadable = require('../../../behaviors/loadable');
const actions = require('../../../behaviors/actions');
const api = require('../../../utils/api');
const club = require('../../../utils/club');
const { showError } = require('../../../utils/request');
const { FILTERS, decorate, cancelledText, CANCEL_CONFIRM } = require('../../../utils/makeups');

Component({
  behaviors: [loadable, actions],
  data: {
    filters: FILTERS,
    status: '',
    items: [],
    busyId: 0,
  },
  methods: {
    onLoad(query) {
      const status = (query && query.status) || '';
      this.setData({ status: FILTERS.some((f) => f.value === status) ? status : '' });
      this.reload();
    },
    onShow() {
      if (this.data.state === 'ready') this.reload();
    },
    fetch() {
      return Promise.all([api.myMakeups(this.data.status), club.loadQuietly()]).then(([data, c]) => {
        const now = Date.now();
        const items = ((data && data.items) || []).map((m) => decorate(m, now, club.rulesFor(c, m.course_type)));
        this.setData({ items });
        // with a filter on, an empty result is still this page (the chips stay)
        return items.length > 0 || this.data.status !== '';
      });
    },
    onFilter(e) {
      const status = e.currentTarget.dataset.value || '';
      if (status === this.data.status) return;
      this.setData({ status });
      this.reload();
    },
    onOpen(e) {
      wx.navigateTo({ url: `/pages/my-bookings/makeup/detail?id=${e.currentTarget.dataset.id}` });
    },
    onCancel(e) {
      const id = Number(e.currentTarget.dataset.id);
      if (this.isPending(`cancel${id}`)) return;
      wx.showModal({
        title: '取消补课',
        content: CANCEL_CONFIRM,
        confirmText: '取消补课',
        cancelText: '再想想',
        success: (res) => {
          if (!res.confirm) return;
          this.runOnce(`cancel${id}`, () => {
            this.setData({ busyId: id });
            return api
              .cancelMakeup(id)
              .then((data) => {
                wx.showToast({ title: cancelledText(data), icon: 'none' });
              })
              .catch(showError)
              // whatever happened, show the server's state (a lost answer may have cancelled it)
              .then(() => this.reload())
              .then(() => this.setData({ busyId: 0 }));
          });
        },
      });
    },
    onPending() {
      wx.switchTab({ url: '/pages/makeup/index' });
    },
  },
});
