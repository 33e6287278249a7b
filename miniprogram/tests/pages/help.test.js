const { installWx, ok, NETWORK_DOWN } = require('../helpers/wx-mock');
const { mountPage, allText } = require('../helpers/mount');
const fx = require('../fixtures');

test('the rules in plain words with the club’s numbers', async () => {
  installWx({ routes: { 'GET /api/v1/club': ok(fx.clubProfile) } });
  const t = allText(await mountPage('pages/help/index'));
  expect(t).toContain('每节课最多8人候补');
  expect(t).toContain('收到通知后15分钟内点「立即预约」并确认，谁先确认名额就是谁的');
  expect(t).toContain('截止后还有2分钟可以完成确认');
  expect(t).toContain('名额会为排在第一位的家长保留15分钟');
  expect(t).toContain('开课前6小时停止候补');
  expect(t).toContain('免费（¥0）另约一节同类型、同级或更低级别的课');
  expect(t).toContain('14天内有效，到期前2天会提醒您');
  expect(t).toContain('先用最早到期的');
  expect(t).toContain('VIP课：最多5人候补');
});

test('other numbers from the service give other words: nothing is fixed text', async () => {
  const rules = { ...fx.rules, cutoff_seconds: 3 * 3600, response_window_seconds: 600, compensation_valid_days: 30, compensation_reminder_seconds: 86400, makeup_cancel_cutoff_seconds: 4 * 3600 };
  installWx({ routes: { 'GET /api/v1/club': ok({ ...fx.clubProfile, rules: { default: rules, by_course_type: {} } }) } });
  const t = allText(await mountPage('pages/help/index'));
  expect(t).toContain('开课前3小时停止候补');
  expect(t).toContain('收到通知后10分钟内');
  expect(t).toContain('30天内有效，到期前1天会提醒您');
  expect(t).toContain('约好的补课在开课前4小时以前可以取消');
  expect(t).not.toContain('6小时');
  expect(t).not.toContain('14天');
  expect(t).not.toContain('不同课程的规则');
});

test('offline: an error with retry rather than guessed numbers', async () => {
  installWx({ routes: { 'GET /api/v1/club': NETWORK_DOWN } });
  const t = allText(await mountPage('pages/help/index'));
  expect(t).toContain('网络不给力');
  expect(t).toContain('重新加载');
});
