const { installWx, ok, fail } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = (extra = {}) => ({
  'GET /api/v1/club': ok(fx.clubProfile),
  'GET /api/v1/makeup/my': (req) => ok({ items: fx.myMakeups.filter((m) => !req.data.status || m.status === req.data.status) }),
  ...extra,
});

test('lists makeups with status, durations and the cancel deadline', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/my-bookings/makeup/index');
  const cards = page.querySelectorAll('.makeup');
  expect(cards).toHaveLength(3);
  expect(allText(cards[0])).toContain('已预约');
  expect(allText(cards[0])).toContain('补课时长：1小时30分钟（原课程2小时）');
  expect(allText(cards[0])).toContain('时长较短，差额已计入补偿');
  expect(text(page, '.note')).toBe('11月26日 周四 12:00前可取消');
  expect(allText(cards[1])).toContain('已上课');
  expect(allText(cards[2])).toContain('已取消');
  expect(page.querySelectorAll('.btn-cancel')).toHaveLength(1);
});

test('past the deadline there is no cancel button but an explanation', async () => {
  jest.setSystemTime(Date.parse('2026-11-26T13:00:00+08:00'));
  installWx({ routes: routes() });
  const page = await mountPage('pages/my-bookings/makeup/index');
  expect(page.querySelector('.btn-cancel')).toBeUndefined();
  expect(allText(page)).toContain('已过取消时限（开课前6小时）');
});

test('cancel asks, calls the API, tells how many minutes came back and reloads', async () => {
  const { server } = installWx({
    routes: routes({ 'DELETE /api/v1/makeup/41/cancel': ok({ makeup_booking_id: 41, status: 'cancelled', restored_minutes: 30, revoked_minutes: 30 }) }),
  });
  const page = await mountPage('pages/my-bookings/makeup/index');
  server.routes['GET /api/v1/makeup/my'] = ok({ items: [{ ...fx.myMakeups[0], status: 'cancelled' }] });
  await tap(page, '.btn-cancel');
  await flush();
  expect(wx.showModal.mock.calls[0][0].content).toContain('确定取消这节补课吗');
  expect(wx.showModal.mock.calls[0][0].content).toContain('名额会让给候补的家长');
  expect(server.callsTo('DELETE', '/api/v1/makeup/41/cancel')).toHaveLength(1);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已取消，退回30分钟补偿', icon: 'none' });
  expect(allText(page)).toContain('已取消');
  expect(page.querySelector('.btn-cancel')).toBeUndefined();
});

test('a refused cancel shows the API message; saying no does nothing', async () => {
  const { server } = installWx({ routes: routes({ 'DELETE /api/v1/makeup/41/cancel': fail(409, 40900, '已过取消时限，无法取消') }) });
  const page = await mountPage('pages/my-bookings/makeup/index');
  await tap(page, '.btn-cancel');
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已过取消时限，无法取消' }));
  expect(page.data.busyId).toBe(0);

  installWx({ modalConfirm: false, routes: routes() });
  const other = await mountPage('pages/my-bookings/makeup/index');
  await tap(other, '.btn-cancel');
  expect(server.callsTo('DELETE', '/api/v1/makeup/41/cancel')).toHaveLength(1);
});

test('status filter asks the server for that status; an empty filter keeps the chips', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/my-bookings/makeup/index');
  const chips = page.querySelectorAll('.filter');
  expect(chips.map((c) => c.dom.textContent)).toEqual(['全部', '已预约', '已上课', '已取消', '缺课']);
  await tap(chips[2]);
  expect(server.callsTo('GET', '/api/v1/makeup/my').pop().data).toEqual({ status: 'completed' });
  expect(page.querySelectorAll('.makeup')).toHaveLength(1);
  expect(allText(page)).toContain('少儿体操提高班');
  await tap(chips[4]);
  expect(server.callsTo('GET', '/api/v1/makeup/my').pop().data).toEqual({ status: 'no_show' });
  expect(allText(page)).toContain('没有这种状态的补课');
  expect(page.querySelectorAll('.filter')).toHaveLength(5);
  await tap(chips[0]);
  expect(server.callsTo('GET', '/api/v1/makeup/my').pop().data).toEqual({});
  expect(page.querySelectorAll('.makeup')).toHaveLength(3);
});

test('tapping a makeup opens its detail', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/my-bookings/makeup/index');
  await tap(page.querySelectorAll('.makeup')[1]);
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/my-bookings/makeup/detail?id=40' });
});

test('no cancellable_until from the server: the cancel button stays and the server decides', async () => {
  const noDeadline = { ...fx.myMakeups[0], cancellable_until: null };
  installWx({ routes: routes({ 'GET /api/v1/makeup/my': ok({ items: [noDeadline] }) }) });
  const page = await mountPage('pages/my-bookings/makeup/index');
  expect(page.querySelector('.btn-cancel')).toBeDefined();
  expect(text(page, '.note')).toBe('');
});

test('empty list points to 待补课; failure shows retry', async () => {
  installWx({ routes: { 'GET /api/v1/makeup/my': ok({ items: [] }) } });
  const empty = await mountPage('pages/my-bookings/makeup/index');
  expect(allText(empty)).toContain('还没有补课预约');
  await tap(empty.querySelector('.state-view'), '.empty-action');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/makeup/index' });
  installWx({ routes: { 'GET /api/v1/makeup/my': fail(503, 50300, '服务暂时不可用') } });
  expect(allText(await mountPage('pages/my-bookings/makeup/index'))).toContain('重新加载');
});
