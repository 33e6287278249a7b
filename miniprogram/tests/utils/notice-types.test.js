const { installWx } = require('../helpers/wx-mock');
const { typeInfo, targetUrl, go } = require('../../utils/notice-types');

test('every notification type of design N1 has words and a destination', () => {
  const types = ['spot_available', 'seat_taken', 'hold_for_you', 'offer_expired', 'waitlist_expired', 'position_changed',
    'makeup_booked', 'makeup_cancelled', 'compensation_expiring'];
  types.forEach((t) => {
    expect(typeInfo(t).label).not.toBe('通知');
    expect(targetUrl({ type: t, data: { waitlist_id: 3 } })).toMatch(/^\/pages\//);
  });
  expect(typeInfo('new_thing').label).toBe('通知');
  expect(targetUrl({ type: 'hold_for_you', data: { waitlist_id: 3 } })).toBe('/pages/waitlist/offer?id=3');
  expect(targetUrl({ type: 'seat_taken' })).toBe('/pages/waitlist/index');
  expect(targetUrl({ type: 'new_thing' })).toBe('');
});

test('go uses switchTab for tab pages and navigateTo otherwise', () => {
  const { wx } = installWx();
  go('/pages/waitlist/index');
  go('/pages/waitlist/detail?id=3');
  go('');
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/waitlist/index' });
  expect(wx.navigateTo).toHaveBeenCalledTimes(1);
});
