const { installWx, ok } = require('../helpers/wx-mock');
const { mountPage, allText, tap } = require('../helpers/mount');
const fx = require('../fixtures');

const routes = () => ({
  'GET /api/v1/club': ok(fx.clubProfile),
  'GET /api/v1/profiles': ok({ items: fx.profiles }),
  'GET /api/v1/compensation/balance': ok(fx.compensationBalance),
});

test('children with their levels, the parent’s own pages, and 联系运营', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/mine/index');
  expect(page.querySelectorAll('.kid-name').map((k) => k.dom.textContent)).toEqual(['小明', '小红']);
  const t = allText(page);
  expect(t).toContain('L3');
  expect(t).toContain('L2');
  expect(page.querySelectorAll('.menu-text').map((m) => m.dom.textContent)).toEqual(['我的课程', '我的候补', '我的补课', '课时补偿', '通知设置', '规则说明']);
  expect(t).toContain('可用1小时30分钟');
  expect(t).toContain('星星体操馆运营团队');
  expect(t).toContain('电话 021-58886666');
});

test('each menu line opens its page (tab pages by switchTab)', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/mine/index');
  const items = page.querySelectorAll('.menu-item');
  await tap(items[0]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/bookings/index' }));
  await tap(items[1]);
  expect(wx.switchTab).toHaveBeenLastCalledWith({ url: '/pages/waitlist/index' });
  await tap(items[4]);
  expect(wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/settings/notifications' }));
  await tap(page, '.kids');
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/profiles/index' });
});

test('no child yet: the card invites to add one', async () => {
  installWx({ routes: { ...routes(), 'GET /api/v1/profiles': ok({ items: [] }) } });
  const page = await mountPage('pages/mine/index');
  expect(allText(page)).toContain('还没有添加孩子，点这里添加');
});
