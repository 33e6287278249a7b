const { installWx } = require('../helpers/wx-mock');
const { mount, tap } = require('../helpers/mount');
const { profiles } = require('../fixtures');

beforeEach(() => installWx());

test('one chip per child, the chosen one highlighted; tapping another emits change', async () => {
  const comp = mount('components/profile-picker/profile-picker', { profiles, value: 1 });
  const kids = comp.querySelectorAll('.kid');
  expect(kids.map((k) => k.dom.textContent)).toEqual(['小明', '小红']);
  expect(comp.querySelectorAll('.kid-on').map((k) => k.dom.textContent)).toEqual(['小明']);
  const onChange = jest.fn();
  comp.addEventListener('change', onChange);
  await tap(kids[0]);
  expect(onChange).not.toHaveBeenCalled();
  await tap(kids[1]);
  expect(onChange.mock.calls[0][0].detail).toEqual({ id: 2 });
});

test('hidden for a single child', () => {
  const comp = mount('components/profile-picker/profile-picker', { profiles: profiles.slice(0, 1), value: 1 });
  expect(comp.querySelector('.picker')).toBeUndefined();
});
