const { installWx } = require('../helpers/wx-mock');
const { mount, text, flush } = require('../helpers/mount');

const NOW = Date.parse('2026-11-23T12:40:00+08:00');

beforeEach(() => {
  installWx();
  jest.useFakeTimers({ now: NOW });
});
afterEach(() => jest.useRealTimers());

test('shows the time left and counts down every second', () => {
  const comp = mount('components/countdown-timer/countdown-timer', { deadline: '2026-11-23T12:45:00+08:00', label: '剩余确认时间' });
  expect(text(comp, '.countdown-label')).toBe('剩余确认时间');
  expect(text(comp, '.countdown-time')).toBe('05:00');
  jest.advanceTimersByTime(1000);
  expect(text(comp, '.countdown-time')).toBe('04:59');
  jest.advanceTimersByTime(4 * 60 * 1000);
  expect(text(comp, '.countdown-time')).toBe('00:59');
  expect(comp.data.urgent).toBe(true);
});

test('fires expire exactly once at zero and shows 已截止', async () => {
  const comp = mount('components/countdown-timer/countdown-timer', { deadline: '2026-11-23T12:40:03+08:00' });
  const onExpire = jest.fn();
  comp.addEventListener('expire', onExpire);
  jest.advanceTimersByTime(2000);
  expect(onExpire).not.toHaveBeenCalled();
  jest.advanceTimersByTime(1000);
  jest.advanceTimersByTime(10000);
  await flush();
  expect(onExpire).toHaveBeenCalledTimes(1);
  expect(text(comp, '.countdown-time')).toBe('已截止');
  expect(jest.getTimerCount()).toBe(0);
});

test('a deadline in the past is expired at once; an empty deadline renders nothing', () => {
  const past = mount('components/countdown-timer/countdown-timer', { deadline: '2026-11-23T12:00:00+08:00' });
  expect(past.data.expired).toBe(true);
  const none = mount('components/countdown-timer/countdown-timer', { deadline: '' });
  expect(none.querySelector('.countdown')).toBeUndefined();
  expect(jest.getTimerCount()).toBe(0);
});

test('a new deadline restarts the count; detaching stops the timer', () => {
  const comp = mount('components/countdown-timer/countdown-timer', { deadline: '2026-11-23T12:45:00+08:00' });
  comp.setData({ deadline: '2026-11-23T13:40:00+08:00' });
  expect(text(comp, '.countdown-time')).toBe('1:00:00');
  expect(jest.getTimerCount()).toBe(1);
  comp.detach();
  expect(jest.getTimerCount()).toBe(0);
});
