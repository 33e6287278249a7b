const { installWx } = require('../helpers/wx-mock');
const { mount, text, allText, tap, flush } = require('../helpers/mount');
const { notifications, NOW } = require('../fixtures');

beforeEach(() => {
  installWx();
  jest.useFakeTimers({ now: NOW });
});
afterEach(() => jest.useRealTimers());

const popup = (props) => mount('components/notification-popup/notification-popup', props);

test('hidden until show is true', () => {
  const comp = popup({ show: false, notification: notifications[0] });
  expect(comp.querySelector('.mask')).toBeUndefined();
  comp.setData({ show: true });
  expect(comp.querySelector('.mask')).toBeDefined();
});

test('a seat offer shows title, body, countdown and 立即预约', () => {
  const comp = popup({ show: true, notification: notifications[0] });
  expect(text(comp, '.title')).toBe('候补名额空出');
  expect(allText(comp)).toContain('剩余确认时间05:00');
  expect(text(comp, '.btn-action')).toBe('立即预约');
  expect(allText(comp)).toContain('名额先到先得');
});

test('other notifications offer 查看详情 and no countdown', () => {
  const comp = popup({ show: true, notification: notifications[2] });
  expect(text(comp, '.btn-action')).toBe('查看详情');
  expect(comp.querySelector('.timer')).toBeUndefined();
});

test('action and close emit events; the countdown running out downgrades the button', async () => {
  const comp = popup({ show: true, notification: notifications[0] });
  const onAction = jest.fn();
  const onClose = jest.fn();
  comp.addEventListener('action', onAction);
  comp.addEventListener('close', onClose);
  await tap(comp, '.btn-action');
  await tap(comp, '.btn-later');
  expect(onAction.mock.calls[0][0].detail.notification.id).toBe(71);
  expect(onClose).toHaveBeenCalledTimes(1);
  jest.advanceTimersByTime(5 * 60 * 1000);
  await flush();
  expect(text(comp, '.btn-action')).toBe('查看详情');
});
