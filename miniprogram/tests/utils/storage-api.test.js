const { installWx, ok } = require('../helpers/wx-mock');
const storage = require('../../utils/storage');
const api = require('../../utils/api');

test('storage maps the empty string to null and survives throwing wx APIs', () => {
  const { wx } = installWx({ token: null });
  expect(storage.getToken()).toBeNull();
  storage.setToken('abc');
  expect(storage.getToken()).toBe('abc');
  storage.clearToken();
  expect(storage.getToken()).toBeNull();
  wx.getStorageSync.mockImplementation(() => { throw new Error('quota'); });
  wx.setStorageSync.mockImplementation(() => { throw new Error('quota'); });
  wx.removeStorageSync.mockImplementation(() => { throw new Error('quota'); });
  expect(storage.get('x')).toBeNull();
  expect(storage.set('x', 1)).toBe(false);
  expect(() => storage.remove('x')).not.toThrow();
});

test('api drops empty filters from queries', async () => {
  const { server } = installWx({ routes: { 'GET /api/v1/makeup/available': ok({ items: [] }) } });
  await api.availableMakeups({ pending_id: 21, time_of_day: '', coach: null, location: '浦东馆' });
  expect(server.calls[0].data).toEqual({ pending_id: 21, location: '浦东馆' });
});

test('api routes use the documented methods and paths', async () => {
  const { server } = installWx({
    routes: {
      'DELETE /api/v1/waitlist/5': ok({}),
      'PUT /api/v1/waitlist/5/respond': ok({}),
      'DELETE /api/v1/makeup/9/cancel': ok({}),
      'POST /api/v1/waitlist/join': ok({}),
    },
  });
  await api.leaveWaitlist(5);
  await api.respond(5, 'begin');
  await api.cancelMakeup(9);
  await api.joinWaitlist({ profile_id: 1, course_schedule_id: 2, booking_date: '2026-11-23' });
  expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
    'DELETE /api/v1/waitlist/5', 'PUT /api/v1/waitlist/5/respond', 'DELETE /api/v1/makeup/9/cancel', 'POST /api/v1/waitlist/join',
  ]);
  expect(server.calls[1].data).toEqual({ action: 'begin' });
});

describe('badge: the unread count on the 消息 tab', () => {
  const { installWx: install, ok: answer, NETWORK_DOWN: down } = require('../helpers/wx-mock');
  test('shows, caps at 99+, removes at zero; refresh asks for one item and never throws', async () => {
    let badge;
    jest.isolateModules(() => {
      badge = require('../../utils/badge');
    });
    const { wx, server } = install({ routes: { 'GET /api/v1/notifications': answer({ items: [], page: 1, page_size: 1, total: 130, unread_count: 120 }) } });
    badge.show(3);
    expect(wx.setTabBarBadge).toHaveBeenLastCalledWith(expect.objectContaining({ index: 3, text: '3' }));
    await badge.refresh();
    expect(server.callsTo('GET', '/api/v1/notifications')[0].data).toEqual({ page: 1, page_size: 1 });
    expect(wx.setTabBarBadge).toHaveBeenLastCalledWith(expect.objectContaining({ text: '99+' }));
    badge.show(0);
    expect(wx.removeTabBarBadge).toHaveBeenCalledWith(expect.objectContaining({ index: 3 }));
    server.routes['GET /api/v1/notifications'] = down;
    await expect(badge.refresh()).resolves.toBe(0);
  });
});
