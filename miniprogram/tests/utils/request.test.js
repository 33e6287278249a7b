const { installWx, ok, fail, NETWORK_DOWN } = require('../helpers/wx-mock');
const { flush } = require('../helpers/mount');

let request;
let auth;
beforeEach(() => {
  jest.isolateModules(() => {
    request = require('../../utils/request');
    auth = require('../../utils/auth');
  });
});

test('sends the stored JWT to the configured base URL and returns data', async () => {
  const { server } = installWx({ routes: { 'GET /api/v1/waitlist/my': ok({ items: [1] }) } });
  await expect(request.get('/api/v1/waitlist/my')).resolves.toEqual({ items: [1] });
  expect(server.request.mock.calls[0][0].url).toBe('http://127.0.0.1:8080/api/v1/waitlist/my');
  expect(server.calls[0].header.Authorization).toBe('Bearer test-token');
});

test('logs in with wx.login when there is no token and stores data.token', async () => {
  const { server, store, wx } = installWx({
    token: null,
    routes: {
      'POST /api/v1/auth/login': ok({ token: 'jwt-1', user_id: 7, expires_at: '2026-11-30T00:00:00+08:00' }),
      'GET /api/v1/profiles': ok({ items: [] }),
    },
  });
  await request.get('/api/v1/profiles');
  expect(wx.login).toHaveBeenCalledTimes(1);
  expect(server.callsTo('POST', '/api/v1/auth/login')[0].data).toEqual({ code: 'wx-code-1' });
  expect(server.callsTo('POST', '/api/v1/auth/login')[0].header.Authorization).toBeUndefined();
  expect(store.get('auth_token')).toBe('jwt-1');
  expect(server.callsTo('GET', '/api/v1/profiles')[0].header.Authorization).toBe('Bearer jwt-1');
});

test('on 401 it logs in again once and retries with the new token', async () => {
  let n = 0;
  const { server, wx } = installWx({
    routes: {
      'POST /api/v1/auth/login': ok({ token: 'fresh' }),
      'GET /api/v1/profiles': (req) =>
        (n++ === 0 ? fail(401, 40100, '登录已过期') : ok({ items: [{ id: 1 }], auth: req.header.Authorization })),
    },
  });
  const data = await request.get('/api/v1/profiles');
  expect(data.auth).toBe('Bearer fresh');
  expect(wx.login).toHaveBeenCalledTimes(1);
  expect(server.callsTo('GET', '/api/v1/profiles')).toHaveLength(2);
});

test('a second 401 after re-login is passed on, not retried forever', async () => {
  const { server } = installWx({
    routes: { 'POST /api/v1/auth/login': ok({ token: 'fresh' }), 'GET /x': fail(401, 40100, '请重新登录') },
  });
  await expect(request.get('/x')).rejects.toMatchObject({ status: 401, code: 40100 });
  expect(server.callsTo('GET', '/x')).toHaveLength(2);
});

test('concurrent callers share one login', async () => {
  const { wx } = installWx({ token: null, routes: { 'POST /api/v1/auth/login': ok({ token: 't' }) } });
  await Promise.all([auth.ensureToken(), auth.ensureToken(), auth.login()]);
  expect(wx.login).toHaveBeenCalledTimes(1);
});

test('a failed wx.login rejects with a Chinese message', async () => {
  const { wx } = installWx({ token: null });
  wx.login.mockImplementation((o) => o.fail({ errMsg: 'login:fail' }));
  await expect(request.get('/x')).rejects.toMatchObject({ message: '微信登录失败，请重试' });
});

test('business errors keep code, Chinese message and data', async () => {
  installWx({
    routes: { 'PUT /api/v1/waitlist/1/respond': fail(409, 40907, '名额已被抢占', { verdict: 'taken' }) },
  });
  await expect(request.put('/api/v1/waitlist/1/respond', { action: 'confirm' })).rejects.toMatchObject({
    code: 40907, status: 409, message: '名额已被抢占', data: { verdict: 'taken' },
  });
});

test('network failure and non-envelope answers become readable errors', async () => {
  installWx({ routes: { 'GET /a': NETWORK_DOWN, 'GET /b': { statusCode: 502, data: '<html>bad gateway</html>' } } });
  await expect(request.get('/a')).rejects.toMatchObject({ code: 0, message: '网络不给力，请检查网络后重试' });
  await expect(request.get('/b')).rejects.toMatchObject({ status: 502, message: '服务繁忙，请稍后再试' });
});

test('showError shows the API message as a toast', async () => {
  const { wx } = installWx();
  request.showError(new request.ApiError(40901, '候补队列已满，请选择其他课程', 409));
  request.showError(undefined);
  await flush();
  expect(wx.showToast.mock.calls[0][0]).toMatchObject({ title: '候补队列已满，请选择其他课程', icon: 'none' });
  expect(wx.showToast.mock.calls[1][0].title).toBe('服务繁忙，请稍后再试');
});
