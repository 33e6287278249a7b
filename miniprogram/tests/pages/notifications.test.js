const { installWx, ok, fail, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = (items = fx.notifications, extra = {}) => ({
  'GET /api/v1/notifications': ok(fx.notificationPage(items)),
  'POST /api/v1/notifications/71/read': ok({ id: 71, read: true, unread_count: 1 }),
  'POST /api/v1/notifications/70/read': ok({ id: 70, read: true, unread_count: 1 }),
  'POST /api/v1/notifications/read-all': ok({ updated: 2, unread_count: 0 }),
  ...extra,
});

/** n notifications, newest first, ids from `top` down. */
function many(n, top) {
  return Array.from({ length: n }, (_, i) => ({
    ...fx.notifications[3],
    id: top - i,
    read: i % 2 === 1,
    created_at: new Date(fx.NOW - (i + 1) * 3600 * 1000).toISOString(),
  }));
}

test('newest first with type words, unread marks, relative times; the unread count is the tab badge', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  expect(server.callsTo('GET', '/api/v1/notifications')[0].data).toEqual({ page: 1, page_size: 20 });
  const items = page.querySelectorAll('.notice');
  expect(items).toHaveLength(5);
  expect(text(page, '.summary')).toBe('2条未读消息');
  const words = (sel) => page.querySelectorAll(sel).map((e) => e.dom.textContent);
  expect(words('.type')).toEqual(['名额空出', '补偿即将过期', '名额已被抢占', '候补已截止', '已自动预约']);
  expect(words('.ago')).toEqual(['9分钟前', '3小时前', '3天前', '5天前', '5天前']);
  expect(page.querySelectorAll('.dot')).toHaveLength(2);
  expect(wx.setTabBarBadge).toHaveBeenLastCalledWith(expect.objectContaining({ index: 3, text: '2' }));
});

test('tapping opens the page in data.page and marks it read; the badge goes down', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  const items = page.querySelectorAll('.notice');
  await tap(items[1]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/makeup/compensation' }));
  expect(server.callsTo('POST', '/api/v1/notifications/70/read')).toHaveLength(1);
  expect(text(page, '.summary')).toBe('1条未读消息');
  expect(page.querySelectorAll('.dot')).toHaveLength(1);
  expect(wx.setTabBarBadge).toHaveBeenLastCalledWith(expect.objectContaining({ text: '1' }));
  // already read: opens, no second read request
  await tap(items[2]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/waitlist/offer?id=12' }));
  await tap(items[3]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/waitlist/detail?id=14' }));
  expect(server.calls.filter((c) => c.path.endsWith('/read'))).toHaveLength(1);
});

test('a waitlist notice of a waiting entry carries one tap to leave the queue (L1)', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  const links = page.querySelectorAll('.leave');
  // spot_available and seat_taken carry it; the credit reminder and the expired entry do not
  expect(links.map((l) => l.dom.textContent)).toEqual(['不再需要？退出候补', '不再需要？退出候补']);
  await tap(links[1]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/waitlist/leave?id=12' }));
  expect(wx.navigateTo).toHaveBeenCalledTimes(1);
});

test('a notification for a tab page switches tab (no query allowed there)', async () => {
  const toTab = { ...fx.notifications[0], id: 80, data: { page: 'pages/waitlist/index?from=notice' } };
  installWx({ routes: routes([toTab], { 'POST /api/v1/notifications/80/read': ok({ id: 80, read: true, unread_count: 0 }) }) });
  const page = await mountPage('pages/notifications/index');
  page.instance.onPopupClose();
  await tap(page.querySelectorAll('.notice')[0]);
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/waitlist/index' });
  expect(wx.navigateTo).not.toHaveBeenCalled();
});

test('全部已读 clears the dots and removes the badge', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  await tap(page, '.read-all');
  expect(server.callsTo('POST', '/api/v1/notifications/read-all')).toHaveLength(1);
  expect(page.querySelectorAll('.dot')).toHaveLength(0);
  expect(text(page, '.summary')).toBe('消息都已读');
  expect(page.querySelector('.read-all')).toBeUndefined();
  expect(wx.removeTabBarBadge).toHaveBeenLastCalledWith(expect.objectContaining({ index: 3 }));
});

test('reaching the bottom loads the next page once, and stops at the end', async () => {
  const all = many(45, 200);
  const { server } = installWx({
    routes: {
      'GET /api/v1/notifications': (req) => {
        const { page, page_size: size } = req.data;
        return ok({ items: all.slice((page - 1) * size, page * size), page, page_size: size, total: all.length, unread_count: 23 });
      },
    },
  });
  const page = await mountPage('pages/notifications/index');
  expect(page.querySelectorAll('.notice')).toHaveLength(20);
  page.instance.onReachBottom();
  page.instance.onReachBottom();
  await flush();
  expect(server.callsTo('GET', '/api/v1/notifications').map((c) => c.data.page)).toEqual([1, 2]);
  expect(page.querySelectorAll('.notice')).toHaveLength(40);
  await page.instance.onReachBottom();
  expect(page.querySelectorAll('.notice')).toHaveLength(45);
  await page.instance.onReachBottom();
  expect(server.callsTo('GET', '/api/v1/notifications').map((c) => c.data.page)).toEqual([1, 2, 3]);
  expect(allText(page)).toContain('没有更早的消息了');
});

test('a message arriving between pages does not show an item twice', async () => {
  let all = many(25, 200);
  installWx({
    routes: {
      'GET /api/v1/notifications': (req) => {
        const { page, page_size: size } = req.data;
        return ok({ items: all.slice((page - 1) * size, page * size), page, page_size: size, total: all.length, unread_count: 0 });
      },
    },
  });
  const page = await mountPage('pages/notifications/index');
  all = many(1, 201).concat(all);
  await page.instance.onReachBottom();
  const ids = page.data.items.map((n) => n.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toHaveLength(25);
});

test('an unread, still-open seat offer pops up; its action opens the offer and marks it read', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  const popup = page.querySelector('.popup');
  expect(text(popup, '.title')).toBe('候补名额空出');
  await tap(popup, '.btn-action');
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/waitlist/offer?id=11' }));
  expect(server.callsTo('POST', '/api/v1/notifications/71/read')).toHaveLength(1);
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

test('a failed read leaves the page usable', async () => {
  installWx({ routes: routes(fx.notifications, { 'POST /api/v1/notifications/70/read': fail(503, 50300, '服务暂时不可用') }) });
  const page = await mountPage('pages/notifications/index');
  await tap(page.querySelectorAll('.notice')[1]);
  expect(wx.navigateTo).toHaveBeenCalled();
  expect(text(page, '.summary')).toBe('1条未读消息');
});

test('empty and offline states', async () => {
  installWx({ routes: routes([]) });
  const empty = await mountPage('pages/notifications/index');
  expect(allText(empty)).toContain('暂无消息');
  expect(wx.removeTabBarBadge).toHaveBeenCalled();
  installWx({ routes: { 'GET /api/v1/notifications': NETWORK_DOWN } });
  expect(allText(await mountPage('pages/notifications/index'))).toContain('网络不给力');
});

test('issue 18: seat_confirmed shows as 已自动预约 (success colour) and opens the entry’s detail page', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/notifications/index');
  const at = fx.notifications.findIndex((n) => n.type === 'seat_confirmed');
  const type = page.querySelectorAll('.type')[at];
  expect(type.dom.textContent).toBe('已自动预约');
  expect(type.dom.className).toContain('type-success');
  // no 退出候补 on it: the entry is no longer waiting
  expect(page.querySelectorAll('.leave')).toHaveLength(2);
  await tap(page.querySelectorAll('.notice')[at]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/waitlist/detail?id=17' }));
});
