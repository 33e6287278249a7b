const fs = require('fs');
const path = require('path');
const { installWx, ok, NETWORK_DOWN } = require('./helpers/wx-mock');
const { flush, ROOT } = require('./helpers/mount');

function launch() {
  let definition;
  global.App = (d) => {
    definition = d;
  };
  jest.isolateModules(() => require('../app'));
  definition.onLaunch();
  return definition;
}

afterEach(() => {
  delete global.App;
});

test('logs in at launch when there is no token', async () => {
  const { store, wx } = installWx({ token: null, routes: { 'POST /api/v1/auth/login': ok({ token: 'jwt-launch' }) } });
  launch();
  await flush();
  expect(wx.login).toHaveBeenCalledTimes(1);
  expect(store.get('auth_token')).toBe('jwt-launch');
});

test('keeps a stored token and survives a failed login', async () => {
  const { wx } = installWx();
  launch();
  await flush();
  expect(wx.login).not.toHaveBeenCalled();
  installWx({ token: null, routes: { 'POST /api/v1/auth/login': NETWORK_DOWN } });
  expect(() => launch()).not.toThrow();
  await flush();
});

test('loads the club profile after login, and a page that failed offline reloads when the network is back', async () => {
  const fx = require('./fixtures');
  const { server, wx, store } = installWx({ routes: { 'GET /api/v1/club': ok(fx.clubProfile) } });
  const top = { onNetworkBack: jest.fn() };
  global.getCurrentPages = () => [{}, top];
  launch();
  await flush();
  expect(server.callsTo('GET', '/api/v1/club')).toHaveLength(1);
  expect(store.get('club_profile')).toEqual(fx.clubProfile);
  const listener = wx.onNetworkStatusChange.mock.calls[0][0];
  listener({ isConnected: false, networkType: 'none' });
  expect(top.onNetworkBack).not.toHaveBeenCalled();
  listener({ isConnected: true, networkType: 'wifi' });
  expect(top.onNetworkBack).toHaveBeenCalledTimes(1);
  delete global.getCurrentPages;
});

test('app.json lists every page that exists, with a 2–5 item tab bar of main pages', () => {
  const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
  app.pages.forEach((p) => {
    ['js', 'json', 'wxml', 'wxss'].forEach((ext) => expect(fs.existsSync(path.join(ROOT, `${p}.${ext}`))).toBe(true));
  });
  expect(app.tabBar.list.length).toBeGreaterThanOrEqual(2);
  expect(app.tabBar.list.length).toBeLessThanOrEqual(5);
  app.tabBar.list.forEach((t) => expect(app.pages).toContain(t.pagePath));
  expect(app.pages).toContain('pages/waitlist/index');
});
