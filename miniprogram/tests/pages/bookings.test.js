const { installWx, ok, fail, deferred, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = (extra = {}) => ({
  'GET /api/v1/club': ok(fx.clubProfile),
  'GET /api/v1/profiles': ok({ items: fx.profiles }),
  'GET /api/v1/bookings': ok({ items: fx.bookings }),
  ...extra,
});
const cards = (page) => page.querySelectorAll('.booking');
/** texts of every element matching a selector on the page */
const all = (page, sel) => page.querySelectorAll(sel).map((e) => e.dom.textContent.trim());
const first = (page, sel) => page.querySelectorAll(sel)[0];

test('upcoming soonest first with status and source; past most recent first', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/bookings/index');
  expect(allText(page)).toContain('即将上课（3）');
  expect(allText(page)).toContain('已结束（2）');
  const upcoming = cards(page);
  expect(all(page, '.name')).toEqual(['少儿体操提高班', '少儿体操基础班', 'VIP精英班']);
  expect(all(page, '.status')).toEqual(['已预约', '已预约', '已预约']);
  expect(allText(upcoming[0])).toContain('小明 · 11月25日 周三 18:30 · 2小时');
  expect(all(page, '.source')).toEqual(['补课', '候补成功']);
  // the makeup seat has no buttons: one leave for each of the other two
  expect(page.querySelectorAll('.btn-leave')).toHaveLength(2);
  await tap(page.querySelectorAll('.tab')[1]);
  expect(all(page, '.status')).toEqual(['已请假', '已上课']);
  expect(page.querySelector('.btn-leave')).toBeUndefined();
});

test('per-child filter', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/bookings/index');
  const kids = page.querySelectorAll('.kid');
  expect(kids.map((k) => k.dom.textContent)).toEqual(['全部孩子', '小明', '小红']);
  await tap(kids[2]);
  expect(all(page, '.name')).toEqual(['少儿体操基础班', 'VIP精英班']);
  await tap(kids[0]);
  expect(cards(page)).toHaveLength(3);
});

test('a makeup seat cannot be cancelled here: the server’s reason and a way to 我的补课', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/bookings/index');
  expect(allText(cards(page)[1])).toContain('补课课程请在“我的补课”中取消');
  expect(all(page, '.reason')).toEqual(['补课课程请在“我的补课”中取消']);
  await tap(first(page, '.link'));
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/my-bookings/makeup/detail?id=41' });
});

test('too late (the class has started): the reason is shown instead of the buttons', async () => {
  const started = fx.booking({ can_cancel: false, can_leave: false, blocked_reason: '课程已开始，无法取消或请假', upcoming: true });
  installWx({ routes: routes({ 'GET /api/v1/bookings': ok({ items: [started] }) }) });
  const page = await mountPage('pages/bookings/index');
  expect(page.querySelector('.btn-leave')).toBeUndefined();
  expect(text(page, '.reason')).toBe('课程已开始，无法取消或请假');
});

test('请假: the dialog says what happens, then the page goes straight to choosing a makeup', async () => {
  const { server } = installWx({
    routes: routes({ 'POST /api/v1/bookings/301/leave': ok({ booking_id: 301, status: 'leave', pending_makeup_id: 23 }) }),
  });
  const page = await mountPage('pages/bookings/index');
  await tap(first(page, '.btn-leave'));
  await flush();
  const dialog = wx.showModal.mock.calls[0][0];
  expect(dialog.title).toBe('请假');
  expect(dialog.content).toContain('名额会让给候补的家长');
  expect(dialog.content).toContain('生成一条待补课，可以免费（¥0）另约一节');
  expect(server.callsTo('POST', '/api/v1/bookings/301/leave')).toHaveLength(1);
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/makeup/select?pending_id=23' });
});

test('取消预约: the dialog says the seat goes to the waitlist and no makeup is made', async () => {
  const { server } = installWx({ routes: routes({ 'POST /api/v1/bookings/301/cancel': ok({ booking_id: 301, status: 'cancelled', pending_makeup_id: null }) }) });
  const page = await mountPage('pages/bookings/index');
  server.routes['GET /api/v1/bookings'] = ok({ items: fx.bookings.map((b) => (b.booking_id === 301 ? { ...b, status: 'cancelled', can_cancel: false, can_leave: false } : b)) });
  await tap(first(page, '.btn-cancel'));
  await flush();
  const dialog = wx.showModal.mock.calls[0][0];
  expect(dialog.content).toContain('名额会让给候补的家长');
  expect(dialog.content).toContain('取消不会生成待补课');
  expect(server.callsTo('POST', '/api/v1/bookings/301/cancel')).toHaveLength(1);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已取消预约', icon: 'success' });
  expect(all(page, '.status')[0]).toBe('已取消');
});

test('inside the waitlist cutoff the dialog says the seat will not be offered any more', async () => {
  const soon = fx.booking({ starts_at: '2026-11-23T16:00:00+08:00', booking_date: '2026-11-23' });
  installWx({ modalConfirm: false, routes: routes({ 'GET /api/v1/bookings': ok({ items: [soon] }) }) });
  const page = await mountPage('pages/bookings/index');
  await tap(page, '.btn-leave');
  expect(wx.showModal.mock.calls[0][0].content).toContain('离开课已不到6小时，名额不再通知候补的家长');
});

test('saying no in the dialog does nothing; taps while a leave is on its way send one request', async () => {
  const slow = deferred();
  const { server } = installWx({ routes: routes({ 'POST /api/v1/bookings/301/leave': () => slow.promise }) });
  const page = await mountPage('pages/bookings/index');
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: false, cancel: true }));
  await tap(first(page, '.btn-leave'));
  expect(server.callsTo('POST', '/api/v1/bookings/301/leave')).toHaveLength(0);
  await tap(first(page, '.btn-leave'));
  await tap(first(page, '.btn-leave'));
  await tap(first(page, '.btn-cancel'));
  expect(server.callsTo('POST', '/api/v1/bookings/301/leave')).toHaveLength(1);
  expect(server.callsTo('POST', '/api/v1/bookings/301/cancel')).toHaveLength(0);
  slow.resolve(ok({ booking_id: 301, status: 'leave', pending_makeup_id: 23 }));
  await flush();
  expect(wx.navigateTo).toHaveBeenCalledTimes(1);
});

test('the answer to a leave is lost but the leave happened: the page finds the new 待补课 and goes on', async () => {
  const { server } = installWx({
    routes: routes({
      'POST /api/v1/bookings/301/leave': NETWORK_DOWN,
      'GET /api/v1/makeup/pending': ok({ items: [fx.pending({ pending_id: 24, original_booking_id: 301 })] }),
    }),
  });
  const page = await mountPage('pages/bookings/index');
  server.routes['GET /api/v1/bookings'] = ok({ items: fx.bookings.map((b) => (b.booking_id === 301 ? { ...b, status: 'leave' } : b)) });
  await tap(first(page, '.btn-leave'));
  await flush();
  expect(server.callsTo('POST', '/api/v1/bookings/301/leave')).toHaveLength(1);
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/makeup/select?pending_id=24' });
});

test('a leave refused by the server shows its words and reloads', async () => {
  installWx({ routes: routes({ 'POST /api/v1/bookings/301/leave': fail(409, 40911, '补课课程请在“我的补课”中取消') }) });
  const page = await mountPage('pages/bookings/index');
  await tap(first(page, '.btn-leave'));
  await flush();
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '补课课程请在“我的补课”中取消' }));
  expect(wx.navigateTo).not.toHaveBeenCalled();
});

test('no bookings: the way to the sessions', async () => {
  installWx({ routes: routes({ 'GET /api/v1/bookings': ok({ items: [] }) }) });
  const page = await mountPage('pages/bookings/index');
  expect(allText(page)).toContain('还没有预约课程');
  await tap(page.querySelector('.state-view'), '.empty-action');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/sessions/index' });
});
