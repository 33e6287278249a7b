// One tap to leave (rule L1): the page every waitlist message links to. It shows which queue,
// asks once, and leaves it (DELETE /api/v1/waitlist/{id}); the place goes to the next family.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const { isActive } = require('../../utils/states');
const { showError } = require('../../utils/request');
const { go } = require('../../utils/tabs');

Component({
  behaviors: [loadable],
  data: {
    id: 0,
    entry: null,
    active: false,
    left: false,
    classTime: '',
    busy: false,
  },
  methods: {
    onLoad(query) {
      this.setData({ id: Number(query.id) });
      this.reload();
    },
    fetch() {
      const id = this.data.id;
      return api.myWaitlist().then((data) => {
        const entry = ((data && data.items) || []).find((e) => e.waitlist_id === id);
        if (!entry) return false;
        this.setData({
          entry,
          active: isActive(entry),
          classTime: time.formatWhen(entry.starts_at, entry.booking_date),
        });
        return true;
      });
    },
    onLeave() {
      if (this.data.busy || !this.data.active) return Promise.resolve();
      this.setData({ busy: true });
      return api
        .leaveWaitlist(this.data.id)
        .then(() => {
          this.setData({ left: true, active: false });
          wx.showToast({ title: '已退出候补', icon: 'success' });
        })
        .catch((err) => {
          showError(err);
          return this.reload();
        })
        .then(() => this.setData({ busy: false }));
    },
    onKeep() {
      go('/pages/waitlist/index');
    },
  },
});
