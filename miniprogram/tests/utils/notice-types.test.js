const { installWx } = require('../helpers/wx-mock');
const { typeInfo, targetUrl, go } = require('../../utils/notice-types');
const { split, isTab } = require('../../utils/tabs');

test('every notification type of design N1 has words and a destination', () => {
  const types = ['spot_available', 'seat_taken', 'hold_for_you', 'offer_expired', 'waitlist_expired', 'position_changed',
    'makeup_booked', 'makeup_cancelled', 'compensation_expiring'];
  types.forEach((t) => {
    expect(typeInfo(t).label).not.toBe('通知');
    expect(targetUrl({ type: t, data: { waitlist_id: 3 } })).toMatch(/^\/pages\//);
  });
  expect(typeInfo('new_thing').label).toBe('通知');
  expect(targetUrl({ type: 'hold_for_you', data: { waitlist_id: 3 } })).toBe('/pages/waitlist/offer?id=3');
  expect(targetUrl({ type: 'makeup_booked', data: { makeup_booking_id: 41 } })).toBe('/pages/my-bookings/makeup/detail?id=41');
  expect(targetUrl({ type: 'seat_taken' })).toBe('/pages/waitlist/index');
  expect(targetUrl({ type: 'new_thing' })).toBe('');
});

test('the server’s data.page wins over the type', () => {
  expect(targetUrl({ type: 'seat_taken', data: { waitlist_id: 3, page: 'pages/waitlist/offer?id=3' } })).toBe('/pages/waitlist/offer?id=3');
  expect(targetUrl({ type: 'new_thing', data: { page: '/pages/help/index' } })).toBe('/pages/help/index');
});

test('go uses switchTab (without the query) for tab pages and navigateTo otherwise', () => {
  const { wx } = installWx();
  go('/pages/waitlist/index');
  go('pages/mine/index?x=1');
  go('pages/waitlist/detail?id=3');
  go('');
  expect(wx.switchTab.mock.calls.map((c) => c[0].url)).toEqual(['/pages/waitlist/index', '/pages/mine/index']);
  expect(wx.navigateTo).toHaveBeenCalledTimes(1);
  expect(wx.navigateTo.mock.calls[0][0].url).toBe('/pages/waitlist/detail?id=3');
  // ten pages deep: replace the current page instead
  wx.navigateTo.mock.calls[0][0].fail({ errMsg: 'navigateTo:fail webview count limit exceed' });
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/waitlist/detail?id=3' });
  expect(split('/pages/a/b?c=1')).toEqual({ path: 'pages/a/b', url: '/pages/a/b?c=1' });
  expect(isTab('pages/sessions/index')).toBe(true);
});

test('issue 18: seat_confirmed has words and opens the entry, never a way to leave the queue', () => {
  const { leaveUrl } = require('../../utils/notice-types');
  const fx = require('../fixtures');
  const n = fx.notifications.find((x) => x.type === 'seat_confirmed');
  expect(typeInfo('seat_confirmed')).toEqual({ label: '已自动预约', color: 'success' });
  expect(targetUrl(n)).toBe('/pages/waitlist/detail?id=17');
  expect(targetUrl({ type: 'seat_confirmed', data: { waitlist_id: 17 } })).toBe('/pages/waitlist/detail?id=17');
  expect(leaveUrl(n)).toBe('');
});
