const { installWx, ok, fail } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap } = require('../helpers/mount');
const fx = require('../fixtures');

const routes = () => ({
  'GET /api/v1/club': ok(fx.clubProfile),
  'GET /api/v1/makeup/pending': ok({ items: fx.pendingMakeups }),
  'GET /api/v1/compensation/balance': ok(fx.compensationBalance),
});

test('待补课 tab lists open pending makeups with leave date and original price', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/makeup/index');
  const tabs = page.querySelectorAll('.tab');
  expect(tabs.map((t) => t.dom.textContent)).toEqual(['待补课（1）', '已安排（1）']);
  expect(page.querySelectorAll('.pending')).toHaveLength(1);
  const t = allText(page);
  expect(t).toContain('少儿体操提高班');
  expect(t).toContain('L3 · 2小时 · 原价¥180');
  expect(t).toContain('请假日期：11月20日 周五（原课程 11月20日 周五 18:30）');
  expect(t).toContain('1小时30分钟');
  expect(t).toContain('您有课时补偿可使用');
});

test('choosing opens the selection page; the entries open compensation and my makeups', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/makeup/index');
  await tap(page, '.btn-choose');
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/makeup/select?pending_id=21' });
  await tap(page, '.entry-comp');
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/makeup/compensation' });
  await tap(page, '.entry-my');
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/my-bookings/makeup/index' });
});

test('the 已安排 tab shows booked ones', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/makeup/index');
  await tap(page.querySelectorAll('.tab')[1]);
  expect(allText(page)).toContain('已安排补课');
  expect(allText(page)).toContain('小红');
  expect(page.querySelector('.btn-choose')).toBeUndefined();
});

test('nothing pending and no balance: explanations instead of lists; balance failure is tolerated', async () => {
  installWx({
    routes: { 'GET /api/v1/makeup/pending': ok({ items: [] }), 'GET /api/v1/compensation/balance': fail(503, 50300, 'x') },
  });
  const page = await mountPage('pages/makeup/index');
  expect(allText(page)).toContain('没有待补课记录');
  expect(text(page, '.entry-value')).toBe('0分钟');
  expect(allText(page)).not.toContain('您有课时补偿可使用');
});

test('pending list failure → error state', async () => {
  installWx({ routes: { 'GET /api/v1/makeup/pending': fail(500, 50000, '服务器开小差了') } });
  const page = await mountPage('pages/makeup/index');
  expect(allText(page)).toContain('服务器开小差了');
});

test('联系运营 is on the makeup tab, for a makeup the picker cannot arrange', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/makeup/index');
  const contact = page.querySelector('.contact-bar');
  expect(text(contact, '.contact-text')).toBe('找不到合适的补课时间？可以联系运营帮您安排');
  expect(text(contact, '.contact-phone')).toBe('电话 021-58886666');
});
