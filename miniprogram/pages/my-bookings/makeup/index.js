// My makeup bookings, with cancel before the cancellation deadline (M5).
const loadable = require('../../../behaviors/loadable');
const api = require('../../../utils/api');
const time = require('../../../utils/time');
const { showError } = require('../../../utils/request');

const STATUS = {
  booked: { text: '已预约', type: 'primary' },
  attended: { text: '已上课', type: 'success' },
  completed: { text: '已上课', type: 'success' },
  cancelled: { text: '已取消', type: 'default' },
  no_show: { text: '未到课', type: 'danger' },
};
const COMPLETION = { full: '时长相同', partial: '时长较短，差额已计入补偿', extra: '时长较长' };

Component({
  behaviors: [loadable],
  data: {
    items: [],
    busyId: 0,
  },
  methods: {
    onLoad() {
      this.reload();
    },
    fetch() {
      return api.myMakeups().then((data) => {
        const now = Date.now();
        const items = ((data && data.items) || []).map((m) => {
          const status = /** @type {any} */ (STATUS)[m.status] || { text: m.status, type: 'default' };
          const open = m.status === 'booked';
          const cancellable = open && time.toMs(m.cancellable_until) > now;
          return {
            ...m,
            statusText: status.text,
            statusType: status.type,
            when: time.formatDateTime(m.starts_at),
            durationText: `${time.formatMinutes(m.duration_minutes)}（原课程${time.formatMinutes(m.original_duration)}）`,
            completionText: /** @type {any} */ (COMPLETION)[m.completion_type] || '',
            cancellable,
            cancelNote: cancellable
              ? `${time.formatDateTime(m.cancellable_until)}前可取消`
              : open
                ? '已过取消时限（开课前6小时）'
                : '',
          };
        });
        this.setData({ items });
        return items.length > 0;
      });
    },
    onCancel(e) {
      const id = Number(e.currentTarget.dataset.id);
      wx.showModal({
        title: '取消补课',
        content: '确定取消这节补课吗？取消后可重新选择补课，本次使用的课时补偿会退回。',
        confirmText: '取消补课',
        cancelText: '再想想',
        success: (res) => {
          if (!res.confirm) return;
          this.setData({ busyId: id });
          api
            .cancelMakeup(id)
            .then((data) => {
              const restored = (data && data.restored_minutes) || 0;
              const title = restored > 0 ? `已取消，退回${time.formatMinutes(restored)}补偿` : '已取消补课';
              wx.showToast({ title, icon: 'none' });
              return this.reload();
            })
            .catch(showError)
            .then(() => this.setData({ busyId: 0 }));
        },
      });
    },
    onPending() {
      wx.switchTab({ url: '/pages/makeup/index' });
    },
  },
});
