// A coloured status word for a waitlist entry ("候补中 · 第2位", "有名额待确认", …) and its detail line.
const { waitlistStatusView } = require('../../utils/states');

Component({
  properties: {
    status: { type: String, value: 'waiting' },
    position: { type: Number, value: 0 },
    waitlistCount: { type: Number, value: 0 },
    expirationReason: { type: String, value: '' },
    showDetail: { type: Boolean, value: true },
  },
  data: {
    text: '',
    type: 'default',
    detail: '',
  },
  observers: {
    'status, position, waitlistCount, expirationReason'(status, position, waitlistCount, expirationReason) {
      const view = waitlistStatusView({
        status,
        position,
        waitlist_count: waitlistCount,
        expiration_reason: expirationReason,
      });
      this.setData(view);
    },
  },
});
