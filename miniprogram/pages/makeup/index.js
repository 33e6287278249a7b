// Makeups: 待补课 (open pending makeups after a leave) and 已安排, plus compensation balance.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const format = require('../../utils/format');
const badge = require('../../utils/badge');

/** @param {any} p */
function decorate(p) {
  return {
    ...p,
    leaveText: time.formatBookingDate(p.leave_date),
    originalWhen: p.original_starts_at ? time.formatDateTime(p.original_starts_at) : '',
    durationText: time.formatMinutes(p.duration_minutes),
    priceText: format.price(p.price),
  };
}

Component({
  behaviors: [loadable],
  data: {
    tab: 'open',
    open: [],
    booked: [],
    totalMinutes: 0,
    totalText: '0分钟',
  },
  methods: {
    onLoad() {
      this.reload();
    },
    onShow() {
      badge.refresh();
      if (this.data.state === 'ready') this.reload();
    },
    fetch() {
      return Promise.all([api.pendingMakeups(), api.compensationBalance().catch(() => null)]).then(([pending, balance]) => {
        const items = ((pending && pending.items) || []).map(decorate);
        const total = (balance && balance.total_minutes) || 0;
        this.setData({
          open: items.filter((p) => p.status === 'open'),
          booked: items.filter((p) => p.status !== 'open'),
          totalMinutes: total,
          totalText: time.formatMinutes(total),
        });
        return true;
      });
    },
    onTab(e) {
      this.setData({ tab: e.currentTarget.dataset.tab });
    },
    onChoose(e) {
      wx.navigateTo({ url: `/pages/makeup/select?pending_id=${e.currentTarget.dataset.id}` });
    },
    onCompensation() {
      wx.navigateTo({ url: '/pages/makeup/compensation' });
    },
    onMyMakeups() {
      wx.navigateTo({ url: '/pages/my-bookings/makeup/index' });
    },
  },
});
