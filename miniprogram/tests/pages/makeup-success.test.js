const { installWx, ok } = require('../helpers/wx-mock');
const fx = require('../fixtures');
const { mount, allText, text, tap, flush } = require('../helpers/mount');

const base = {
  id: '41', course: encodeURIComponent('少儿体操基础班'), child: encodeURIComponent('小明'),
  starts_at: encodeURIComponent('2026-11-25T18:00:00+08:00'), location: encodeURIComponent('浦东馆'),
  minutes: '90', original: '120', price: '180', course_type: 'group',
};

async function open(query) {
  const page = mount('pages/makeup/success');
  page.instance.onLoad(query);
  await flush();
  return page;
}

beforeEach(() => installWx({ routes: { 'GET /api/v1/club': ok(fx.clubProfile) } }));

test('partial: the details, ¥180 struck → ¥0, and the new compensation', async () => {
  const page = await open({ ...base, type: 'partial', created: '30', used: '0', remaining: '120' });
  expect(text(page, '.title')).toBe('补课预约成功');
  expect(text(page, '.course')).toBe('少儿体操基础班');
  expect(text(page, '.when')).toBe('11月25日 周三 18:00');
  expect(text(page, '.price-old')).toBe('¥180');
  expect(text(page, '.price-new')).toBe('¥0');
  expect(text(page, '.sentence')).toBe('补课比原课程少30分钟，已为您生成30分钟课时补偿，14天内有效。');
  expect(allText(page)).toContain('当前可用课时补偿共2小时');
});

test('the validity and cancel deadline come from the club’s rules for the course type', async () => {
  const club = { ...fx.clubProfile, rules: { default: fx.rules, by_course_type: { group: { ...fx.rules, compensation_valid_days: 30, makeup_cancel_cutoff_seconds: 3 * 3600 } } } };
  installWx({ routes: { 'GET /api/v1/club': ok(club) } });
  const page = await open({ ...base, type: 'partial', created: '30' });
  expect(text(page, '.sentence')).toBe('补课比原课程少30分钟，已为您生成30分钟课时补偿，30天内有效。');
  expect(text(page, '.subtitle')).toBe('请按时到馆上课，开课前3小时前可在「我的补课」取消');
});

test('日历同步: the class goes into the phone calendar with its start, end and place', async () => {
  const page = await open({ ...base, type: 'full' });
  await tap(page, '.btn-calendar');
  const call = wx.addPhoneCalendar.mock.calls[0][0];
  expect(call).toMatchObject({
    title: '补课：少儿体操基础班（小明）',
    startTime: Date.parse('2026-11-25T18:00:00+08:00') / 1000,
    endTime: String(Date.parse('2026-11-25T19:30:00+08:00') / 1000),
    location: '浦东馆',
    alarm: true,
  });
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已添加到手机日历', icon: 'success' });
  expect(text(page, '.btn-calendar')).toBe('已添加到手机日历');
});

test('a refused calendar says so and lets the parent try again', async () => {
  installWx({ calendar: 'fail', routes: { 'GET /api/v1/club': ok(fx.clubProfile) } });
  const page = await open({ ...base, type: 'full' });
  await tap(page, '.btn-calendar');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '未添加到日历', icon: 'none' });
  expect(text(page, '.btn-calendar')).toBe('添加到手机日历');
});

test('联系运营: a customer-service button and the club’s phone', async () => {
  const page = await open({ ...base, type: 'full' });
  const contact = page.querySelector('.contact-bar');
  expect(contact).toBeDefined();
  expect(text(contact, '.contact-chat')).toBe('在线联系运营');
  await tap(contact, '.contact-phone');
  expect(wx.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '021-58886666' }));
});

test('full and extra wording', async () => {
  expect(text(await open({ ...base, type: 'full' }), '.sentence')).toBe('补课时长与原课程相同，课时已完整补齐。');
  expect(text(await open({ ...base, type: 'extra', used: '30' }), '.sentence')).toBe('补课比原课程长，已使用30分钟课时补偿。');
  expect(text(await open({ ...base, type: 'extra', used: '0' }), '.sentence')).toBe('补课比原课程长，多出的时间免费赠送。');
});

test('next steps: this makeup, my makeups or back to the list; missing data says so', async () => {
  const page = await open({ ...base, type: 'full' });
  await tap(page, '.btn-detail');
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/my-bookings/makeup/detail?id=41' });
  await tap(page, '.btn-my');
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/my-bookings/makeup/index' });
  await tap(page, '.btn-back');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/makeup/index' });
  const empty = await open({});
  expect(text(empty, '.title')).toBe('没有找到预约信息');
  expect(empty.querySelector('.price-new')).toBeUndefined();
});
