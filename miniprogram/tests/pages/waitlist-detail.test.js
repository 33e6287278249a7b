const { installWx, ok, fail } = require('../helpers/wx-mock');
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
