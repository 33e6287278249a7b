// Training camps (seed 004) and their deposit payments: one function per API route
// (docs/payments.md), and wx.requestPayment as a promise.
const { get, post } = require('./request');

/**
 * Opens WeChat's payment sheet with the parameters the API returned (signed by the server).
 * Resolves on payment, rejects with {cancelled: true} when the member closes the sheet.
 * @param {{timeStamp: string, nonceStr: string, package: string, signType: string, paySign: string}} payment
 * @returns {Promise<void>}
 */
function requestPayment(payment) {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: payment.timeStamp,
      nonceStr: payment.nonceStr,
      package: payment.package,
      signType: /** @type {any} */ (payment.signType),
      paySign: payment.paySign,
      success: () => resolve(),
      fail: (/** @type {any} */ err) => {
        const msg = (err && err.errMsg) || '';
        reject({ cancelled: msg.indexOf('cancel') >= 0, message: msg.indexOf('cancel') >= 0 ? '支付已取消' : '支付未完成' });
      },
    });
  });
}

/**
 * Waits until the server has the payment (the notice or its own query settles it), asking
 * every `intervalMs`, at most `tries` times. Resolves with the last payment view.
 * @param {string} outTradeNo
 * @param {{tries?: number, intervalMs?: number}} [opts]
 */
function waitPaid(outTradeNo, opts = {}) {
  const tries = opts.tries || 10;
  const intervalMs = opts.intervalMs === undefined ? 1000 : opts.intervalMs;
  /** @param {number} n @returns {Promise<any>} */
  const attempt = (n) =>
    get(`/api/v1/pay/orders/${outTradeNo}`).then((/** @type {any} */ order) => {
      if ((order && order.state) !== 'reserved' || n + 1 >= tries) return order;
      return new Promise((r) => setTimeout(r, intervalMs)).then(() => attempt(n + 1));
    });
  return attempt(0);
}

/** @type {Record<string, string>} */
const REFUND = {
  reserving: '退款处理中',
  requesting: '退款处理中',
  processing: '退款处理中，预计1–3个工作日到账',
  success: '押金已原路退回',
  closed: '退款未成功，工作人员会重新处理',
  refused: '退款未成功，工作人员会重新处理',
  abnormal: '退款异常，工作人员会联系您',
};

/** @type {Record<string, string>} */
const VERDICT = {
  eligible: '已达标，等待审核退款',
  not_eligible: '打卡天数未达标，押金不退',
  unmatched: '未匹配到您的星球账号，工作人员会核对',
};

/** What the member is told about the deposit, from the most advanced fact. @param {any} p */
function depositText(p) {
  if (p.refund_state) return REFUND[p.refund_state] || '退款处理中';
  if (p.review === 'rejected') return '审核未通过，押金不退';
  if (p.verdict) return VERDICT[p.verdict] || '';
  if (p.status !== 'paid') return '押金未支付';
  return p.days_missing > 0 ? `还需打卡${p.days_missing}天即可退还押金` : '已达标，训练营结束后审核退款';
}

module.exports = {
  depositText,
  camps: () => get('/api/v1/camps'),
  camp: (/** @type {number} */ id) => get(`/api/v1/camps/${id}`),
  enrol: (/** @type {number} */ id, /** @type {any} */ body) => post(`/api/v1/camps/${id}/enrol`, body),
  progress: (/** @type {number} */ id) => get(`/api/v1/camps/${id}/me`),
  order: (/** @type {string} */ no) => get(`/api/v1/pay/orders/${no}`),
  requestPayment,
  waitPaid,
};
