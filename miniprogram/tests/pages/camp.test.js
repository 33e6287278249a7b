// The camp pages (seed 004): list, enrol + pay the deposit, progress and refund state.
const { installWx, ok, fail } = require('../helpers/wx-mock');
const { mountPage, mount, allText, text, tap, flush } = require('../helpers/mount');

const camp = {
  id: 7, name: '21天晨跑训练营', start_date: '2026-12-07', end_date: '2026-12-27', days: 21,
  deposit_cents: 9900, deposit_yuan: '99.00', capacity: 30, seats_left: 3, required_days: 18,
  status: 'published', enrolment_open: true, my_status: null,
};
const payment = { timeStamp: '1764900000', nonceStr: 'N0NCE', package: 'prepay_id=wx123', signType: 'RSA', paySign: 'c2ln' };

/** Installs wx with a scripted wx.requestPayment ('ok' | 'cancel'). */
function setup(routes, pay = 'ok') {
  const env = installWx({ routes });
  global.wx.requestPayment = jest.fn((o) =>
    Promise.resolve().then(() => (pay === 'ok' ? o.success({ errMsg: 'requestPayment:ok' }) : o.fail({ errMsg: 'requestPayment:fail cancel' }))),
  );
  return env;
}

test('the list shows dates, deposit, the refund rule and seats; a paid camp opens progress', async () => {
  setup({ 'GET /api/v1/camps': ok({ items: [camp, { ...camp, id: 8, seats_left: 0, my_status: 'paid' }] }) });
  const page = await mountPage('pages/camp/index');
  const t = allText(page);
  expect(t).toContain('21天晨跑训练营');
  expect(t).toContain('2026-12-07 至 2026-12-27 · 共21天');
  expect(t).toContain('¥99.00');
  expect(t).toContain('打卡满18天退还押金');
  expect(t).toContain('剩余3个名额');
  expect(t).toContain('已报名');
  const cards = page.querySelectorAll('.camp');
  await tap(cards[0]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/camp/detail?id=7' });
  await tap(cards[1]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/camp/progress?id=8' });
});

test('enrolling sends the community identity, pays with the signed parameters, waits for the payment', async () => {
  let polls = 0;
  const { server } = setup({
    'GET /api/v1/camps/7': ok(camp),
    'POST /api/v1/camps/7/enrol': ok({ enrolment_id: 3, out_trade_no: 'CAMP7U1N1', amount_cents: 9900, payment }, 201),
    'GET /api/v1/pay/orders/CAMP7U1N1': () => {
      polls += 1;
      return ok({ out_trade_no: 'CAMP7U1N1', state: polls < 2 ? 'reserved' : 'paid' });
    },
  });
  const page = mount('pages/camp/detail');
  await page.instance.onLoad({ id: '7' });
  await flush();
  expect(text(page, '.btn-pay')).toContain('支付押金 ¥99.00');
  page.instance.setData({ communityUserId: ' 51122858 ', communityNickname: '晨跑的猫' });
  jest.useFakeTimers();
  const done = page.instance.onPay();
  for (let i = 0; i < 10; i += 1) {
    await flush();
    jest.advanceTimersByTime(1000);
  }
  jest.useRealTimers();
  await done;
  expect(server.callsTo('POST', '/api/v1/camps/7/enrol')[0].data).toEqual({
    community_user_id: '51122858', community_nickname: '晨跑的猫', wechat_nickname: null,
  });
  expect(wx.requestPayment).toHaveBeenCalledWith(expect.objectContaining(payment));
  expect(polls).toBe(2);
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/camp/progress?id=7' });
});

test('an empty form is not sent; a cancelled payment keeps the seat; a full camp says so', async () => {
  const { server } = setup({
    'GET /api/v1/camps/7': ok(camp),
    'POST /api/v1/camps/7/enrol': ok({ enrolment_id: 3, out_trade_no: 'CAMP7U1N1', amount_cents: 9900, payment }, 201),
  }, 'cancel');
  const page = mount('pages/camp/detail');
  await page.instance.onLoad({ id: '7' });
  await flush();
  await page.instance.onPay();
  expect(server.callsTo('POST', '/api/v1/camps/7/enrol')).toHaveLength(0);
  page.instance.setData({ wechatNickname: '老王' });
  await page.instance.onPay();
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '支付已取消，名额为您保留15分钟' }));
  expect(wx.redirectTo).not.toHaveBeenCalled();

  setup({ 'GET /api/v1/camps/7': ok(camp), 'POST /api/v1/camps/7/enrol': fail(409, 40920, '名额已满') });
  const again = mount('pages/camp/detail');
  await again.instance.onLoad({ id: '7' });
  await flush();
  again.instance.setData({ wechatNickname: '老王' });
  await again.instance.onPay();
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '名额已满' }));

  setup({ 'GET /api/v1/camps/7': ok({ ...camp, seats_left: 0 }) });
  const full = mount('pages/camp/detail');
  await full.instance.onLoad({ id: '7' });
  await flush();
  expect(text(full, '.closed')).toBe('名额已满');
});

test('progress: the group QR once paid, check-ins against the days needed, the refund state', async () => {
  const base = {
    camp: { ...camp, my_status: 'paid' }, enrolment_id: 3, status: 'paid', out_trade_no: 'CAMP7U1N1',
    group_qr_url: 'https://club.example/qr.png', days_elapsed: 5, checkin_days: 4, required_days: 18,
    days_missing: 14, matched: true, match_confidence: 66, verdict: null, review: null, refund_state: null,
  };
  setup({ 'GET /api/v1/camps/7/me': ok(base) });
  const page = await mountPage('pages/camp/progress', { id: '7' });
  expect(page.querySelector('.qr-image')).toBeDefined();
  expect(text(page, '.qr')).toBe('长按识别二维码加入训练营群');
  expect(text(page, '.checkins')).toBe('已打卡 4 天 / 需 18 天');
  expect(text(page, '.match')).toBe('已匹配星球账号（可信度66%）');
  expect(text(page, '.deposit')).toBe('还需打卡14天即可退还押金');

  const { depositText } = require('../../utils/camp-api');
  expect(depositText({ ...base, verdict: 'eligible', review: 'pending' })).toBe('已达标，等待审核退款');
  expect(depositText({ ...base, verdict: 'not_eligible' })).toBe('打卡天数未达标，押金不退');
  expect(depositText({ ...base, verdict: 'eligible', review: 'rejected' })).toBe('审核未通过，押金不退');
  expect(depositText({ ...base, refund_state: 'success' })).toBe('押金已原路退回');
  expect(depositText({ ...base, refund_state: 'abnormal' })).toBe('退款异常，工作人员会联系您');
  expect(depositText({ ...base, status: 'reserved', group_qr_url: null })).toBe('押金未支付');
  setup({ 'GET /api/v1/camps/7/me': ok({ ...base, status: 'reserved', group_qr_url: null }) });
  const unpaid = await mountPage('pages/camp/progress', { id: '7' });
  expect(unpaid.querySelector('.qr-image')).toBeUndefined();
});
