const { installWx } = require('../helpers/wx-mock');
const { mount, text, tap } = require('../helpers/mount');

beforeEach(() => installWx());

const form = (props = {}) => mount('components/child-form/child-form', props);
const type = (comp, value) => comp.querySelector('.name-input').dispatchEvent('input', { detail: { value } });

test('name and level L1–L10 → submit with both', async () => {
  const comp = form();
  const levels = comp.querySelectorAll('.level');
  expect(levels.map((l) => l.dom.textContent)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L10']);
  const onSubmit = jest.fn();
  comp.addEventListener('submit', onSubmit);
  type(comp, '  小明 ');
  await tap(levels[2]);
  expect(comp.querySelectorAll('.level-on').map((l) => l.dom.textContent)).toEqual(['L3']);
  await tap(comp, '.btn-save');
  expect(onSubmit.mock.calls[0][0].detail).toEqual({ name: '小明', level: 3 });
});

test('a missing name or level is explained instead of submitted', async () => {
  const comp = form();
  const onSubmit = jest.fn();
  comp.addEventListener('submit', onSubmit);
  await tap(comp, '.btn-save');
  expect(text(comp, '.hint')).toBe('请填写孩子的名字');
  type(comp, '小红');
  await tap(comp, '.btn-save');
  expect(text(comp, '.hint')).toBe('请选择孩子现在的级别');
  type(comp, 'x'.repeat(51));
  await tap(comp.querySelectorAll('.level')[0]);
  await tap(comp, '.btn-save');
  expect(text(comp, '.hint')).toBe('名字最多50个字');
  expect(onSubmit).not.toHaveBeenCalled();
});

test('busy ignores taps; the server’s error is shown; resetKey empties the form', async () => {
  const comp = form({ busy: true });
  const onSubmit = jest.fn();
  comp.addEventListener('submit', onSubmit);
  type(comp, '小明');
  await tap(comp.querySelectorAll('.level')[0]);
  await tap(comp, '.btn-save');
  expect(onSubmit).not.toHaveBeenCalled();
  comp.setData({ busy: false, error: 'level 必须在1–10之间' });
  expect(text(comp, '.hint')).toBe('level 必须在1–10之间');
  comp.setData({ resetKey: 1 });
  expect(comp.data.name).toBe('');
  expect(comp.querySelectorAll('.level-on')).toHaveLength(0);
});
