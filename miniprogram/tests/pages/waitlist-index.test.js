const { installWx, ok, fail } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = (items = fx.waitlist) => ({ 'GET /api/v1/waitlist/my': ok({ items }) });

test('active entries first, finished ones below, with status words', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/index');
  expect(page.querySelectorAll('.active-card')).toHaveLength(2);
  expect(page.querySelectorAll('.finished-card')).toHaveLength(2);
  const t = allText(page);
  expect(t).toContain('候补中（2）');
  expect(t).toContain('有名额待确认');
  expect(t).toContain('候补中 · 第2位');
  expect(t).toContain('已预约成功');
  expect(t).toContain('已过期');
});

test('an open offer pops up with its countdown; 立即预约 opens the offer page', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/index');
  const popup = page.querySelector('.popup');
  expect(text(popup, '.title')).toBe('候补名额空出');
  expect(text(popup, '.body')).toContain('小明的「亲子体操」（11月24日 周二 16:00）有名额了');
  expect(allText(popup)).toContain('剩余确认时间05:00');
  await tap(popup, '.btn-action');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/waitlist/offer?id=11' });
  expect(popup.querySelector('.mask')).toBeUndefined();
});

test('closing the popup keeps it closed on refresh', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/index');
  const popup = page.querySelector('.popup');
  await tap(popup, '.btn-later');
  expect(popup.querySelector('.mask')).toBeUndefined();
  await page.instance.onPullDownRefresh();
  expect(page.data.popupShown).toBe(false);
});

test('card events: open detail, respond, cancel with confirmation', async () => {
  const { server } = installWx({ routes: { ...routes(), 'DELETE /api/v1/waitlist/12': ok({ waitlist_id: 12, status: 'cancelled' }) } });
  const page = await mountPage('pages/waitlist/index');
  const [notified, waiting] = page.querySelectorAll('.active-card');
  await tap(waiting, '.card');
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/waitlist/detail?id=12' });
  await tap(notified, '.btn-respond');
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/waitlist/offer?id=11' });
  server.routes['GET /api/v1/waitlist/my'] = ok({ items: [fx.waitlist[0]] });
  await tap(waiting, '.btn-cancel');
  await flush();
  expect(server.callsTo('DELETE', '/api/v1/waitlist/12')).toHaveLength(1);
  expect(page.querySelectorAll('.active-card')).toHaveLength(1);
});

test('a failed cancel shows the API message', async () => {
  installWx({ routes: { ...routes(), 'DELETE /api/v1/waitlist/12': fail(403, 40300, '无权操作该候补') } });
  const page = await mountPage('pages/waitlist/index');
  page.instance.onCancel({ detail: { id: 12 } });
  await flush();
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '无权操作该候补' }));
});

test('empty list explains how to join and links to the courses', async () => {
  installWx({ routes: routes([]) });
  const page = await mountPage('pages/waitlist/index');
  expect(allText(page)).toContain('还没有候补记录');
  await tap(page.querySelector('.state-view'), '.empty-action');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/sessions/index' });
});

test('load error shows retry', async () => {
  installWx({ routes: { 'GET /api/v1/waitlist/my': fail(503, 50300, '服务暂时不可用') } });
  const page = await mountPage('pages/waitlist/index');
  expect(allText(page)).toContain('服务暂时不可用');
  expect(page.querySelector('.popup').querySelector('.mask')).toBeUndefined();
});

test('a seat taken by another parent while the list is open: the next check removes 立即确认, leaving 取消候补', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/index');
  const config = require('../../config');
  const first = () => page.querySelectorAll('.active-card')[0];
  expect(first().querySelector('.btn-respond')).toBeDefined();
  server.routes['GET /api/v1/waitlist/my'] = ok({ items: [{ ...fx.waitlist[0], offer: null }, ...fx.waitlist.slice(1)] });
  jest.advanceTimersByTime(config.offerPollMs);
  await flush();
  expect(first().querySelector('.btn-respond')).toBeUndefined();
  expect(first().querySelector('.btn-cancel')).toBeDefined();
  expect(allText(page)).not.toContain('有名额待确认');
  // nothing left to watch: the checks stop
  const calls = server.callsTo('GET', '/api/v1/waitlist/my').length;
  jest.advanceTimersByTime(config.offerPollMs * 3);
  await flush();
  expect(server.callsTo('GET', '/api/v1/waitlist/my')).toHaveLength(calls);
});

test('no offer on the list: nothing is polled; leaving the page stops the checks', async () => {
  const { server } = installWx({ routes: routes(fx.waitlist.slice(1)) });
  await mountPage('pages/waitlist/index');
  jest.advanceTimersByTime(60000);
  await flush();
  expect(server.callsTo('GET', '/api/v1/waitlist/my')).toHaveLength(1);
  const again = installWx({ routes: routes() });
  const page = await mountPage('pages/waitlist/index');
  page.instance.onHide();
  jest.advanceTimersByTime(60000);
  await flush();
  expect(again.server.callsTo('GET', '/api/v1/waitlist/my')).toHaveLength(1);
  expect(page).toBeDefined();
});

test('issue 18: a family entry names its children in the card, the popup and the leave question', async () => {
  const offered = fx.entry({ ...fx.familyWaiting, status: 'notified', offer: fx.offer });
  const { server } = installWx({ routes: { ...routes([offered, fx.familyAutoBooked]), 'DELETE /api/v1/waitlist/16': ok({ waitlist_id: 16, status: 'cancelled' }) } });
  const page = await mountPage('pages/waitlist/index');
  expect(text(page.querySelector('.popup'), '.body')).toContain('小明、小红（2人）的「少儿体操基础班」');
  expect(allText(page)).toContain('已为您预约：小明、小红');
  page.instance.onCancel({ detail: { id: 16 } });
  await flush();
  expect(wx.showModal.mock.calls[0][0].content).toBe('确定取消小明、小红（2人）的候补吗？取消后如需候补要重新排队。');
  expect(server.callsTo('DELETE', '/api/v1/waitlist/16')).toHaveLength(1);
});
