const { installWx } = require('../helpers/wx-mock');
const { mount, text, allText, tap } = require('../helpers/mount');
const { availableMakeups, makeupSession } = require('../fixtures');

beforeEach(() => installWx());

const selector = (session, originalDuration = 120) =>
  mount('components/makeup-selector/makeup-selector', { session, originalDuration });

test('shows time, place, the server hint and the price struck through with ¥0', () => {
  const comp = selector(availableMakeups[0]);
  expect(text(comp, '.name')).toBe('少儿体操基础班');
  expect(allText(comp)).toContain('11月25日 周三 18:00 · 1小时30分钟');
  expect(allText(comp)).toContain('浦东馆 · 王教练');
  expect(text(comp, '.hint')).toBe('补课时长比原课程少30分钟');
  expect(comp.querySelector('.hint-short')).toBeDefined();
  expect(text(comp, '.price-old')).toBe('¥180');
  expect(text(comp, '.price-new')).toBe('¥0');
});

test('without a server hint the difference is computed from the original duration', () => {
  const comp = selector(makeupSession({ course_schedule_id: 9, duration_minutes: 90, duration_difference: undefined, hint: '' }), 60);
  expect(text(comp, '.hint')).toBe('补课时长比原课程多30分钟');
  expect(comp.querySelector('.hint-short')).toBeUndefined();
  const same = selector(availableMakeups[1]);
  expect(text(same, '.hint')).toBe('与原课程时长相同');
});

test('tapping 选择此补课 emits select with the session', async () => {
  const comp = selector(availableMakeups[2]);
  const onSelect = jest.fn();
  comp.addEventListener('select', onSelect);
  await tap(comp, '.btn-select');
  expect(onSelect.mock.calls[0][0].detail.session.course_schedule_id).toBe(203);
});

test('匹配度 line from the server’s match label; seats from seats_left', () => {
  const comp = selector(availableMakeups[1]);
  expect(text(comp, '.match')).toBe('匹配度：同类型 · 同级别 · 时长相同 · 同一教练 · 同一场馆');
  expect(text(comp, '.seats')).toBe('余3位');
  const built = selector(makeupSession({ course_schedule_id: 8, match: { same_type: true, level_difference: 1, duration_difference: 0, same_coach: true, same_location: false, label: '' } }));
  expect(text(built, '.match')).toBe('匹配度：同类型 · 低1级 · 同一教练');
});

test('a full class (action waitlist) offers 加入候补 and says so in the select event', async () => {
  const comp = selector(availableMakeups[3]);
  expect(text(comp, '.seats')).toBe('已满员 · 候补2/8人');
  expect(text(comp, '.btn-select')).toBe('加入候补');
  const onSelect = jest.fn();
  comp.addEventListener('select', onSelect);
  await tap(comp, '.btn-select');
  expect(onSelect.mock.calls[0][0].detail.action).toBe('waitlist');
});

test('busy: taps do nothing', async () => {
  const comp = mount('components/makeup-selector/makeup-selector', { session: availableMakeups[0], originalDuration: 120, busy: true });
  const onSelect = jest.fn();
  comp.addEventListener('select', onSelect);
  await tap(comp, '.btn-select');
  expect(onSelect).not.toHaveBeenCalled();
});
