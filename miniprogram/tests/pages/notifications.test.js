const { installWx, ok, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = (items = fx.notifications) => ({ 'GET /api/v1/notifications': ok({ items }) });

test('newest first with type words, unread marks and relative times', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  const items = page.querySelectorAll('.notice');
  expect(items).toHaveLength(4);
  expect(text(page, '.summary')).toBe('2条未读消息');
  const words = (sel) => page.querySelectorAll(sel).map((e) => e.dom.textContent);
  expect(words('.type')).toEqual(['名额空出', '补偿即将过期', '补课预约成功', '名额已被抢占']);
  expect(words('.ago')).toEqual(['9分钟前', '3小时前', '1天前', '3天前']);
  expect(page.querySelectorAll('.dot')).toHaveLength(2);
  expect(items[0].dom.textContent).toContain('候补名额空出');
});

test('tapping goes where the message is about', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  const items = page.querySelectorAll('.notice');
  await tap(items[0]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/waitlist/offer?id=11' });
  await tap(items[1]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/makeup/compensation' });
  await tap(items[2]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/my-bookings/makeup/index' });
  await tap(items[3]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/waitlist/detail?id=12' });
});

test('an unread, still-open seat offer pops up; its action opens the offer', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  const popup = page.querySelector('.popup');
  expect(text(popup, '.title')).toBe('候补名额空出');
  await tap(popup, '.btn-action');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/waitlist/offer?id=11' });
  expect(page.data.popupShown).toBe(false);
});

test('no popup for a past deadline; closing keeps it closed', async () => {
  jest.setSystemTime(Date.parse('2026-11-23T13:00:00+08:00'));
  installWx({ routes: routes() });
  const late = await mountPage('pages/notifications/index');
  expect(late.data.popupShown).toBe(false);
  jest.setSystemTime(fx.NOW);
  installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  await tap(page.querySelector('.popup'), '.btn-later');
  await page.instance.onPullDownRefresh();
  expect(page.data.popupShown).toBe(false);
});

test('empty and offline states', async () => {
  installWx({ routes: routes([]) });
  expect(allText(await mountPage('pages/notifications/index'))).toContain('暂无消息');
  installWx({ routes: { 'GET /api/v1/notifications': NETWORK_DOWN } });
  expect(allText(await mountPage('pages/notifications/index'))).toContain('网络不给力');
});
