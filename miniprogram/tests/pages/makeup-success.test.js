const { installWx } = require('../helpers/wx-mock');
const { mount, allText, text, tap, flush } = require('../helpers/mount');

const base = {
  id: '41', course: encodeURIComponent('少儿体操基础班'), child: encodeURIComponent('小明'),
  starts_at: encodeURIComponent('2026-11-25T18:00:00+08:00'), location: encodeURIComponent('浦东馆'),
  minutes: '90', original: '120', price: '180',
};

async function open(query) {
  const page = mount('pages/makeup/success');
  page.instance.onLoad(query);
  await flush();
  return page;
}

beforeEach(() => installWx());

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

test('full and extra wording', async () => {
  expect(text(await open({ ...base, type: 'full' }), '.sentence')).toBe('补课时长与原课程相同，课时已完整补齐。');
  expect(text(await open({ ...base, type: 'extra', used: '30' }), '.sentence')).toBe('补课比原课程长，已使用30分钟课时补偿。');
  expect(text(await open({ ...base, type: 'extra', used: '0' }), '.sentence')).toBe('补课比原课程长，多出的时间免费赠送。');
});

test('next steps: my makeups or back to the list; missing data says so', async () => {
  const page = await open({ ...base, type: 'full' });
  await tap(page, '.btn-my');
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/my-bookings/makeup/index' });
  await tap(page, '.btn-back');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/makeup/index' });
  const empty = await open({});
  expect(text(empty, '.title')).toBe('没有找到预约信息');
  expect(empty.querySelector('.price-new')).toBeUndefined();
});
