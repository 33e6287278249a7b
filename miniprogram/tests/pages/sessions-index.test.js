const { installWx, ok, fail, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

const routes = () => ({
  'GET /api/v1/profiles': ok({ items: fx.profiles }),
  'GET /api/v1/sessions': ok({ items: fx.sessions }),
});

beforeEach(() => jest.useFakeTimers({ now: fx.NOW, doNotFake: ['nextTick', 'setImmediate'] }));
afterEach(() => jest.useRealTimers());

test('lists the week with the right state per session for the selected child', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/sessions/index');
  expect(server.callsTo('GET', '/api/v1/sessions')[0].data).toEqual({ date_from: '2026-11-23', date_to: '2026-11-29' });
  const cards = page.querySelectorAll('.session');
  expect(cards).toHaveLength(5);
  const t = allText(page);
  expect(t).toContain('已满员');
  expect(t).toContain('候补: 3/8人');
  expect(t).toContain('加入候补 ›');
  expect(t).toContain('已候补');
  expect(t).toContain('候补: 2/5人');
  expect(t).toContain('取消候补 ›');
  expect(t).toContain('有名额，立即预约 ›');
  expect(t).toContain('余4位');
  expect(t).toContain('候补已满 ›');
  expect(t).toContain('11月23日 周一 19:00 · 1小时');
});

test('date chips filter the list and switching child changes the states', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/sessions/index');
  const days = page.querySelectorAll('.day');
  expect(days.map((d) => d.dom.textContent)).toEqual(['全部', '今天 11/23', '明天 11/24', '周三 11/25', '周四 11/26', '周五 11/27', '周六 11/28', '周日 11/29']);
  await tap(days[2]);
  expect(page.querySelectorAll('.session')).toHaveLength(2);
  await tap(days[6]);
  expect(allText(page)).toContain('这一天没有课程');
  await tap(days[0]);
  const kids = page.querySelector('.kids').querySelectorAll('.kid');
  expect(kids.map((k) => k.dom.textContent)).toEqual(['小明', '小红']);
  expect(allText(page)).toContain('已候补');
  await tap(kids[1]);
  expect(allText(page)).not.toContain('已候补');
  expect(wx.setStorageSync).toHaveBeenCalledWith('selected_profile_id', 2);
});

test('tapping a session opens its detail', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/sessions/index');
  await tap(page.querySelectorAll('.session')[1]);
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/sessions/detail?course_schedule_id=102&booking_date=2026-11-24' });
});

test('empty week, network error with retry, and pull-to-refresh', async () => {
  const r = routes();
  r['GET /api/v1/sessions'] = ok({ items: [] });
  installWx({ routes: r });
  const empty = await mountPage('pages/sessions/index');
  expect(allText(empty)).toContain('近7天暂无课程');

  const { server } = installWx({ routes: { ...routes(), 'GET /api/v1/sessions': NETWORK_DOWN } });
  const page = await mountPage('pages/sessions/index');
  expect(page.data.state).toBe('error');
  expect(allText(page)).toContain('网络不给力，请检查网络后重试');
  server.routes['GET /api/v1/sessions'] = ok({ items: fx.sessions });
  page.instance.onRetry();
  await flush();
  expect(page.querySelectorAll('.session')).toHaveLength(5);

  server.routes['GET /api/v1/sessions'] = ok({ items: fx.sessions.slice(0, 1) });
  page.instance.onPullDownRefresh();
  await flush();
  expect(page.querySelectorAll('.session')).toHaveLength(1);
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
});

test('a failed refresh keeps the list and tells the parent', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/sessions/index');
  server.routes['GET /api/v1/sessions'] = fail(503, 50300, '服务暂时不可用，请稍后再试');
  await page.instance.onPullDownRefresh();
  expect(page.querySelectorAll('.session')).toHaveLength(5);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '服务暂时不可用，请稍后再试', icon: 'none' });
});

test('first start with no child: asks for one instead of empty lists, then shows the week', async () => {
  let kids = [];
  const { server } = installWx({
    routes: {
      ...routes(),
      'GET /api/v1/profiles': () => ok({ items: kids }),
      'POST /api/v1/profiles': (req) => {
        kids = [{ id: 7, ...req.data }];
        return ok({ id: 7 }, 201);
      },
    },
  });
  const page = await mountPage('pages/sessions/index');
  expect(allText(page)).toContain('欢迎来到体操馆约课');
  expect(page.querySelectorAll('.session')).toHaveLength(0);
  const form = page.querySelector('.child-form');
  form.querySelector('.name-input').dispatchEvent('input', { detail: { value: '小明' } });
  await tap(form.querySelectorAll('.level')[1]);
  await tap(form, '.btn-save');
  await flush();
  expect(server.callsTo('POST', '/api/v1/profiles')[0].data).toEqual({ name: '小明', level: 2 });
  expect(allText(page)).not.toContain('欢迎来到体操馆约课');
  expect(page.querySelectorAll('.session')).toHaveLength(5);
});

test('the unread count is refreshed as a tab badge when the tab shows', async () => {
  const { server } = installWx({ routes: { ...routes(), 'GET /api/v1/notifications': ok(fx.notificationPage()) } });
  const page = await mountPage('pages/sessions/index');
  page.instance.onShow();
  await flush();
  expect(server.callsTo('GET', '/api/v1/notifications')[0].data).toEqual({ page: 1, page_size: 1 });
  expect(wx.setTabBarBadge).toHaveBeenCalledWith(expect.objectContaining({ index: 3, text: '2' }));
});

test('offline at first: the page comes back by itself when the network returns', async () => {
  const { server } = installWx({ routes: { ...routes(), 'GET /api/v1/sessions': NETWORK_DOWN } });
  const page = await mountPage('pages/sessions/index');
  expect(page.data.state).toBe('error');
  // the GET was tried twice (once more after the offline failure), not more
  expect(server.callsTo('GET', '/api/v1/sessions')).toHaveLength(2);
  server.routes['GET /api/v1/sessions'] = ok({ items: fx.sessions });
  await page.instance.onNetworkBack();
  await flush();
  expect(page.querySelectorAll('.session')).toHaveLength(5);
});
