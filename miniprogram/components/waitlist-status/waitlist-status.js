// A coloured status word for a waitlist entry ("候补中 · 第2位", "有名额待确认", …) and its detail line.
const { waitlistStatusView } = require('../../utils/states');

Component({
  properties: {
    status: { type: String, value: 'waiting' },
    position: { type: Number, value: 0 },
    waitlistCount: { type: Number, value: 0 },
    expirationReason: { type: String, value: '' },
    // true only when the entry carries a live offer (`offer != null`)
    hasOffer: { type: Boolean, value: false },
    rules: { type: Object, value: null },
    showDetail: { type: Boolean, value: true },
  },
  data: {
    text: '',
    type: 'default',
    detail: '',
  },
  observers: {
    'status, position, waitlistCount, expirationReason, hasOffer, rules'(status, position, waitlistCount, expirationReason, hasOffer, rules) {
      const view = waitlistStatusView({
        status,
        position,
        waitlist_count: waitlistCount,
        expiration_reason: expirationReason,
        offer: hasOffer ? {} : null,
        rules,
      });
      this.setData(view);
    },
  },
});
