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
