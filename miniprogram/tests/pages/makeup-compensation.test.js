const { installWx, ok, fail } = require('../helpers/wx-mock');
const { mountPage, allText, text } = require('../helpers/mount');
const fx = require('../fixtures');

beforeEach(() => jest.useFakeTimers({ now: fx.NOW }));
afterEach(() => jest.useRealTimers());

const routes = () => ({
  'GET /api/v1/compensation/balance': ok(fx.compensationBalance),
  'GET /api/v1/compensation/history': ok({ items: fx.compensationHistory }),
  'GET /api/v1/profiles': ok({ items: fx.profiles }),
});

test('balance, credits by expiry with days left, and the ledger with signs', async () => {
  installWx({ routes: routes() });
  const page = await mountPage('pages/makeup/compensation');
  expect(text(page, '.balance-value')).toBe('1小时30分钟');
  const credits = page.querySelectorAll('.credit');
  expect(credits).toHaveLength(2);
  expect(allText(credits[0])).toContain('30分钟 · 小明');
  expect(allText(credits[0])).toContain('11月25日 周三 18:00 到期');
  expect(page.querySelectorAll('.credit-left').map((e) => e.dom.textContent)).toEqual(['3天后过期', '13天后过期']);
  expect(page.querySelector('.credit-soon')).toBeUndefined();
  const entries = page.querySelectorAll('.entry');
  expect(page.querySelectorAll('.entry-amount').map((e) => e.dom.textContent)).toEqual(['+1小时', '-30分钟', '+1小时', '-15分钟']);
  expect(allText(entries[3])).toContain('过期失效');
});

test('a credit about to expire is highlighted', async () => {
  const r = routes();
  r['GET /api/v1/compensation/balance'] = ok({ total_minutes: 30, credits: [{ id: 1, profile_id: 1, remaining_minutes: 30, expires_at: '2026-11-24T10:00:00+08:00' }] });
  installWx({ routes: r });
  const page = await mountPage('pages/makeup/compensation');
  expect(text(page, '.credit-left')).toBe('即将过期');
  expect(page.querySelector('.credit-soon')).toBeDefined();
});

test('nothing yet explains how minutes are earned; errors show retry', async () => {
  installWx({
    routes: {
      'GET /api/v1/compensation/balance': ok({ total_minutes: 0, credits: [] }),
      'GET /api/v1/compensation/history': ok({ items: [] }),
      'GET /api/v1/profiles': fail(500, 50000, 'x'),
    },
  });
  const page = await mountPage('pages/makeup/compensation');
  expect(text(page, '.balance-value')).toBe('0分钟');
  expect(allText(page)).toContain('补课比原课程短时，差额会自动计入这里');
  installWx({ routes: { ...routes(), 'GET /api/v1/compensation/history': fail(503, 50300, '服务暂时不可用') } });
  expect(allText(await mountPage('pages/makeup/compensation'))).toContain('服务暂时不可用');
});
