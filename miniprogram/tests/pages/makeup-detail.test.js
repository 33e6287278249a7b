const { installWx, ok, fail } = require('../helpers/wx-mock');
const { mountPage, allText, text, tap, flush } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = (extra = {}) => ({
  'GET /api/v1/club': ok(fx.clubProfile),
  'GET /api/v1/makeup/41': ok(fx.makeupDetail),
  ...extra,
});

test('shows the class, the class it makes up for and the credit it created', async () => {
  const { server } = installWx({ routes: routes() });
  const page = await mountPage('pages/my-bookings/makeup/detail', { id: '41' });
  expect(server.callsTo('GET', '/api/v1/makeup/41')).toHaveLength(1);
  expect(text(page, '.name')).toBe('少儿体操基础班');
  expect(text(page, '.status')).toBe('已预约');
  expect(text(page, '.when')).toBe('11月26日 周四 18:00');
  const t = allText(page);
  expect(t).toContain('浦东馆');
  expect(t).toContain('王教练');
  expect(t).toContain('少儿体操基础班 · 11月16日 周一 19:00');
  expect(text(page, '.credit-minutes')).toBe('30分钟');
  expect(t).toContain('12月7日 周一 18:00');
  expect(t).toContain('课时补偿14天内有效，先到期的先使用。');
  expect(t).toContain('11月26日 周四 12:00前可取消');
  expect(t).toContain('在线联系运营');
});

test('cancel asks what happens, cancels once and shows the new state', async () => {
  const { server } = installWx({
    routes: routes({
      'DELETE /api/v1/makeup/41/cancel': ok({ makeup_booking_id: 41, status: 'cancelled', restored_minutes: 0, revoked_minutes: 30 }),
    }),
  });
  const page = await mountPage('pages/my-bookings/makeup/detail', { id: '41' });
  server.routes['GET /api/v1/makeup/41'] = ok({ ...fx.makeupDetail, status: 'cancelled', credit: { ...fx.makeupDetail.credit, remaining_minutes: 0, status: 'revoked' } });
  await tap(page, '.btn-cancel');
  await flush();
  expect(wx.showModal.mock.calls[0][0].content).toContain('待补课会重新打开');
  expect(server.callsTo('DELETE', '/api/v1/makeup/41/cancel')).toHaveLength(1);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已取消补课', icon: 'none' });
  expect(text(page, '.status')).toBe('已取消');
  expect(page.querySelector('.btn-cancel')).toBeUndefined();
  expect(allText(page)).toContain('已撤回');
});

test('past the cancel deadline: the reason instead of the button; 日历同步 still there', async () => {
  jest.setSystemTime(Date.parse('2026-11-26T13:00:00+08:00'));
  installWx({ routes: routes() });
  const page = await mountPage('pages/my-bookings/makeup/detail', { id: '41' });
  expect(page.querySelector('.btn-cancel')).toBeUndefined();
  expect(allText(page)).toContain('已过取消时限（开课前6小时）');
  await tap(page, '.btn-calendar');
  expect(wx.addPhoneCalendar.mock.calls[0][0]).toMatchObject({
    title: '补课：少儿体操基础班',
    startTime: Date.parse('2026-11-26T18:00:00+08:00') / 1000,
    endTime: String(Date.parse('2026-11-26T19:30:00+08:00') / 1000),
    location: '浦东馆',
  });
});

test('a makeup without a credit (same length) shows no credit block; unknown id → empty state', async () => {
  installWx({ routes: routes({ 'GET /api/v1/makeup/41': ok({ ...fx.makeupDetail, completion_type: 'full', compensation_created: 0, credit: null }) }) });
  const page = await mountPage('pages/my-bookings/makeup/detail', { id: '41' });
  expect(page.querySelector('.credit')).toBeUndefined();
  installWx({ routes: routes({ 'GET /api/v1/makeup/99': fail(404, 40400, '未找到') }) });
  expect(allText(await mountPage('pages/my-bookings/makeup/detail', { id: '99' }))).toContain('找不到这节补课');
});
