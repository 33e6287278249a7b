const { installWx, ok, fail, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = () => ({
  'GET /api/v1/waitlist/my': ok({ items: fx.waitlist }),
  'GET /api/v1/waitlist/position/12': ok({ waitlist_id: 12, position: 1, waitlist_count: 2, status: 'waiting' }),
  'GET /api/v1/waitlist/12/notifications': ok({ items: fx.waitlistHistory }),
  'GET /api/v1/waitlist/11/notifications': ok({ items: fx.waitlistHistory }),
  'GET /api/v1/waitlist/position/11': ok({ waitlist_id: 11, position: 1, waitlist_count: 3, status: 'notified' }),
});

test('shows the live position, joined time, estimated wait and history', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/detail', { id: '12' });
  expect(server.callsTo('GET', '/api/v1/waitlist/position/12')).toHaveLength(1);
  expect(text(page, '.position-number')).toBe('1');
  expect(allText(page)).toContain('共2人候补');
  expect(text(page, '.joined')).toBe('11月21日 周六 20:15');
  expect(text(page, '.wait')).toBe('2-3天');
  const history = page.querySelectorAll('.history');
  expect(history).toHaveLength(2);
  expect(allText(page)).toContain('名额空出');
  expect(allText(page)).toContain('确认截止 12:45');
  expect(allText(page)).toContain('确认截止 18:15 · 已放弃');
  expect(page.querySelectorAll('.step-done')).toHaveLength(2);
  expect(text(page, '.step-now')).toBe('2等待名额');
});

test('history is shown newest first whatever order it arrives in', async () => {
  installWx({ routes: { ...routes(), 'GET /api/v1/waitlist/12/notifications': ok({ items: fx.waitlistHistory.slice().reverse() }) } });
  const page = await mountPage('pages/waitlist/detail', { id: '12' });
  const msgs = page.querySelectorAll('.history-msg').map((m) => m.dom.textContent);
  expect(msgs).toEqual(['亲子体操有名额空出，请在12:45前确认', '亲子体操有名额空出，请在18:15前确认']);
});

test('notified without an offer (declined / someone else holds the seat): no 立即确认, the queue can still be left', async () => {
  const { server } = installWx({
    routes: {
      'GET /api/v1/waitlist/my': ok({ items: [fx.notifiedWithoutOffer] }),
      'GET /api/v1/waitlist/position/15': ok({ waitlist_id: 15, position: 2, waitlist_count: 3, status: 'notified' }),
      'GET /api/v1/waitlist/15/notifications': ok({ items: [] }),
      'DELETE /api/v1/waitlist/15': ok({ waitlist_id: 15, status: 'cancelled' }),
    },
  });
  const page = await mountPage('pages/waitlist/detail', { id: '15' });
  expect(page.querySelector('.btn-respond')).toBeUndefined();
  expect(allText(page)).not.toContain('剩余确认时间');
  expect(allText(page)).toContain('候补中 · 第2位');
  expect(text(page, '.step-now')).toBe('2等待名额');
  await tap(page, '.btn-cancel');
  expect(server.callsTo('DELETE', '/api/v1/waitlist/15')).toHaveLength(1);
});

test('cancel asks, leaves the queue and reloads', async () => {
  const { server } = installWx({ routes: { ...routes(), 'DELETE /api/v1/waitlist/12': ok({ status: 'cancelled' }) } });
  const page = await mountPage('pages/waitlist/detail', { id: '12' });
  server.routes['GET /api/v1/waitlist/my'] = ok({ items: [{ ...fx.waitlist[1], status: 'cancelled', position: null }] });
  await tap(page, '.btn-cancel');
  await flush();
  expect(server.callsTo('DELETE', '/api/v1/waitlist/12')).toHaveLength(1);
  expect(allText(page)).toContain('已取消');
  expect(page.querySelector('.btn-cancel')).toBeUndefined();
});

test('an entry with an offer shows the countdown and leads to the offer page; it can still leave the queue', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/detail', { id: '11' });
  expect(allText(page)).toContain('剩余确认时间05:00');
  expect(page.querySelector('.btn-cancel')).toBeDefined();
  await tap(page, '.btn-respond');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/waitlist/offer?id=11' });
});

test('a finished entry skips the live position and has no buttons; history failure is tolerated', async () => {
  const { server } = installWx({ routes: { ...routes(), 'GET /api/v1/waitlist/14/notifications': fail(500, 50000, 'x') } });
  const page = await mountPage('pages/waitlist/detail', { id: '14' });
  expect(server.calls.some((c) => c.path.startsWith('/api/v1/waitlist/position'))).toBe(false);
  expect(allText(page)).toContain('开课前6小时候补截止');
  expect(allText(page)).toContain('暂无通知');
  expect(page.querySelector('.bar')).toBeUndefined();
});

test('unknown id → empty state; list failure → error state', async () => {
  installWx({ routes: routes() });
  expect(allText(await mountPage('pages/waitlist/detail', { id: '99' }))).toContain('找不到这条候补记录');
  installWx({ routes: { 'GET /api/v1/waitlist/my': fail(401, 40100, '登录已过期'), 'POST /api/v1/auth/login': fail(503, 50300, '微信服务暂不可用') } });
  const page = await mountPage('pages/waitlist/detail', { id: '12' });
  expect(allText(page)).toContain('微信服务暂不可用');
});

describe('issue 18: a family entry and cancelling what auto-accept booked', () => {
  const cancelled = (b) => ({ ...b, status: 'cancelled', can_cancel: false, can_leave: false, blocked_reason: '已取消' });
  const familyRoutes = (extra = {}) => ({
    'GET /api/v1/waitlist/my': ok({ items: [fx.familyAutoBooked, fx.familyWaiting] }),
    'GET /api/v1/waitlist/17/notifications': ok({ items: [] }),
    'GET /api/v1/waitlist/16/notifications': ok({ items: [] }),
    'GET /api/v1/waitlist/position/16': ok({ waitlist_id: 16, position: 3, waitlist_count: 5, status: 'waiting' }),
    'GET /api/v1/bookings': ok({ items: fx.familyBookings }),
    'POST /api/v1/bookings/320/cancel': ok({ booking_id: 320, status: 'cancelled', pending_makeup_id: null }),
    'POST /api/v1/bookings/321/cancel': ok({ booking_id: 321, status: 'cancelled', pending_makeup_id: null }),
    ...extra,
  });

  test('a waiting family shows its children and 可部分预约; no bookings are asked for', async () => {
    const { server } = installWx({ routes: familyRoutes() });
    const page = await mountPage('pages/waitlist/detail', { id: '16' });
    expect(text(page, '.sub')).toBe('小明、小红（2人） · 11月23日 周一 19:00');
    expect(text(page, '.tags')).toBe('可部分预约');
    expect(page.querySelector('.booked')).toBeFalsy();
    expect(server.callsTo('GET', '/api/v1/bookings')).toHaveLength(0);
    // leaving the queue takes both children out
    await tap(page, '.btn-cancel');
    expect(wx.showModal.mock.calls[0][0].content).toBe('确定取消小明、小红（2人）的候补吗？取消后如需候补要重新排队。');
  });

  test('a confirmed auto-accepted family: 已为您预约, 自动预约, and 取消预约 cancels every booking after one question', async () => {
    const { server } = installWx({ routes: familyRoutes() });
    const page = await mountPage('pages/waitlist/detail', { id: '17' });
    expect(text(page, '.tags')).toBe('自动预约');
    expect(text(page, '.booked-title')).toBe('已为您预约');
    expect(text(page, '.booked-kids')).toBe('小明、小红（2人）');
    expect(text(page, '.booked-auto')).toBe('名额空出时已自动为您预约，无需确认。');
    expect(text(page, '.booked-hint')).toContain('名额会马上还给候补队列');
    // the status line does not repeat what the box says
    expect(allText(page)).not.toContain('候补成功，已为您预约');
    expect(page.querySelectorAll('.step-text').map((s) => s.dom.textContent)).toEqual(['加入候补', '等待名额', '名额空出', '自动预约']);
    server.routes['GET /api/v1/bookings'] = ok({ items: fx.familyBookings.map(cancelled) });
    await tap(page, '.btn-cancel-booking');
    await flush();
    expect(wx.showModal).toHaveBeenCalledTimes(1);
    expect(wx.showModal.mock.calls[0][0].content).toBe('确定取消小明、小红（2人）的预约吗？取消后名额会马上还给候补队列，由排在前面的家长获得。');
    expect(server.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/api/v1/bookings/320/cancel', '/api/v1/bookings/321/cancel']);
    expect(wx.showToast).toHaveBeenCalledWith({ title: '已取消预约', icon: 'success' });
    expect(text(page, '.booked-title')).toBe('预约已取消');
    expect(text(page, '.booked-hint')).toBe('名额已还给候补队列');
    expect(page.querySelector('.btn-cancel-booking')).toBeFalsy();
    expect(page.data.busy).toBe(false);
  });

  test('saying no to the question cancels nothing', async () => {
    const { server } = installWx({ modalConfirm: false, routes: familyRoutes() });
    const page = await mountPage('pages/waitlist/detail', { id: '17' });
    await tap(page, '.btn-cancel-booking');
    expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  test('one cancel refused: the other still goes, the error is shown and the button stays for what is left', async () => {
    const { server } = installWx({ routes: familyRoutes({ 'POST /api/v1/bookings/320/cancel': fail(503, 50300, '系统繁忙，请稍后再试') }) });
    const page = await mountPage('pages/waitlist/detail', { id: '17' });
    server.routes['GET /api/v1/bookings'] = ok({ items: [fx.familyBookings[0], cancelled(fx.familyBookings[1])] });
    await tap(page, '.btn-cancel-booking');
    await flush();
    expect(server.callsTo('POST', '/api/v1/bookings/321/cancel')).toHaveLength(1);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '系统繁忙，请稍后再试' }));
    expect(page.data.cancelIds).toEqual([320]);
    expect(text(page, '.btn-cancel-booking')).toBe('取消预约');
  });

  test('a lost answer that did cancel is reported as done (nothing is sent twice)', async () => {
    const { server } = installWx({ routes: familyRoutes({ 'POST /api/v1/bookings/321/cancel': NETWORK_DOWN }) });
    const page = await mountPage('pages/waitlist/detail', { id: '17' });
    server.routes['GET /api/v1/bookings'] = ok({ items: fx.familyBookings.map(cancelled) });
    await tap(page, '.btn-cancel-booking');
    await flush();
    expect(server.callsTo('POST', '/api/v1/bookings/321/cancel')).toHaveLength(1);
    expect(wx.showToast).toHaveBeenCalledWith({ title: '已取消预约', icon: 'success' });
  });

  test('no 取消预约 without auto-accept, when the class can no longer be cancelled, or when the bookings cannot be read', async () => {
    const plain = { ...fx.familyAutoBooked, auto_accept: false };
    installWx({ routes: familyRoutes({ 'GET /api/v1/waitlist/my': ok({ items: [plain] }) }) });
    const manual = await mountPage('pages/waitlist/detail', { id: '17' });
    expect(text(manual, '.booked-title')).toBe('已为您预约');
    expect(manual.querySelector('.booked-auto')).toBeFalsy();
    expect(manual.querySelector('.btn-cancel-booking')).toBeFalsy();

    const late = fx.familyBookings.map((b) => ({ ...b, can_cancel: false, blocked_reason: '开课前6小时内无法取消' }));
    installWx({ routes: familyRoutes({ 'GET /api/v1/bookings': ok({ items: late }) }) });
    const tooLate = await mountPage('pages/waitlist/detail', { id: '17' });
    expect(tooLate.querySelector('.btn-cancel-booking')).toBeFalsy();
    expect(text(tooLate, '.booked-hint')).toBe('开课前6小时内无法取消');

    installWx({ routes: familyRoutes({ 'GET /api/v1/bookings': fail(500, 50000, 'x') }) });
    const unknown = await mountPage('pages/waitlist/detail', { id: '17' });
    expect(text(unknown, '.booked-title')).toBe('已为您预约');
    expect(unknown.querySelector('.btn-cancel-booking')).toBeFalsy();
  });

  test('a family booked in part names who got a seat', async () => {
    // F4: booked in part, the entry still waits (in its place) for the other child
    const partly = fx.entry({ ...fx.familyAutoBooked, status: 'waiting', position: 1, party_size: 1,
      children: [fx.familyAutoBooked.children[0], { ...fx.familyAutoBooked.children[1], booking_id: null }], booking_ids: [320] });
    installWx({ routes: familyRoutes({ 'GET /api/v1/waitlist/my': ok({ items: [partly] }) }) });
    const page = await mountPage('pages/waitlist/detail', { id: '17' });
    expect(text(page, '.booked-kids')).toBe('小明');
    expect(text(page, '.booked-missed')).toBe('小红继续候补，保留原来的排位');
    await tap(page, '.btn-cancel-booking');
    expect(wx.showModal.mock.calls[0][0].content).toContain('确定取消小明的预约吗');
  });
});
