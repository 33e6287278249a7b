const time = require('../../utils/time');

describe('time in the club zone (UTC+8 by offset arithmetic)', () => {
  test('the suite runs in a device zone that is not the club’s', () => {
    expect(new Date('2026-11-23T12:00:00Z').getTimezoneOffset()).toBe(480); // Los Angeles, UTC−8
  });

  test('formats an instant given in UTC as club wall-clock time', () => {
    // 11:00 UTC is 19:00 in Shanghai, whatever zone the test machine uses
    expect(time.formatDateTime('2026-11-23T11:00:00Z')).toBe('11月23日 周一 19:00');
    expect(time.formatTime('2026-11-23T19:00:00+08:00')).toBe('19:00');
  });

  test('crosses midnight into the next club day', () => {
    expect(time.formatDate('2026-11-23T16:30:00Z')).toBe('11月24日 周二');
    expect(time.clubDate(Date.parse('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(time.clubDate(Date.parse('2026-11-23T15:59:00Z'), 7)).toBe('2026-11-30');
  });

  test('booking dates are read as calendar dates', () => {
    expect(time.formatBookingDate('2026-11-29')).toBe('11月29日 周日');
    expect(time.formatBookingDate('nonsense')).toBe('');
  });

  test('unparseable instants give empty text instead of NaN', () => {
    expect(time.formatDateTime('')).toBe('');
    expect(time.formatTime(null)).toBe('');
    expect(time.formatAgo('', 0)).toBe('');
  });

  test('countdown text', () => {
    expect(time.formatCountdown(299000)).toBe('04:59');
    expect(time.formatCountdown(3899000)).toBe('1:04:59');
    expect(time.formatCountdown(-5)).toBe('00:00');
    expect(time.formatCountdown(1)).toBe('00:01');
  });

  test('minutes as parents say them', () => {
    expect(time.formatMinutes(45)).toBe('45分钟');
    expect(time.formatMinutes(60)).toBe('1小时');
    expect(time.formatMinutes(90)).toBe('1小时30分钟');
    expect(time.formatMinutes(-30)).toBe('30分钟');
  });

  test('relative time and time of day', () => {
    const now = Date.parse('2026-11-23T12:40:00+08:00');
    expect(time.formatAgo('2026-11-23T12:39:30+08:00', now)).toBe('刚刚');
    expect(time.formatAgo('2026-11-23T12:10:00+08:00', now)).toBe('30分钟前');
    expect(time.formatAgo('2026-11-23T09:40:00+08:00', now)).toBe('3小时前');
    expect(time.formatAgo('2026-11-21T12:40:00+08:00', now)).toBe('2天前');
    expect(time.timeOfDay('2026-11-23T01:00:00Z')).toBe('morning');
    expect(time.timeOfDay('2026-11-23T06:00:00Z')).toBe('afternoon');
    expect(time.timeOfDay('2026-11-23T11:00:00Z')).toBe('evening');
  });
});
