const { installWx, ok, fail, once, deferred, NETWORK_DOWN, TIMEOUT } = require('../helpers/wx-mock');
const { flush } = require('../helpers/mount');

let request;
let auth;
let api;
beforeEach(() => {
  jest.isolateModules(() => {
    request = require('../../utils/request');
    auth = require('../../utils/auth');
    api = require('../../utils/api');
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

test('a token that expired mid-flow: two calls refused at once share one re-login and each replays once', async () => {
  const stale = deferred();
  let logins = 0;
  const { server, wx } = installWx({
    token: 'old',
    routes: {
      'POST /api/v1/auth/login': () => ok({ token: `fresh-${++logins}` }),
      'GET /api/v1/waitlist/my': (req) => (req.header.Authorization === 'Bearer old' ? fail(401, 40100, '登录已过期') : ok({ items: [] })),
      // answers 401 only after the first call has already logged in again
      'PUT /api/v1/waitlist/11/respond': (req) =>
        (req.header.Authorization === 'Bearer old' ? stale.promise : ok({ verdict: 'won', booking_id: 5 })),
    },
  });
  const confirm = api.respond(11, 'confirm');
  await expect(request.get('/api/v1/waitlist/my')).resolves.toEqual({ items: [] });
  stale.resolve(fail(401, 40100, '登录已过期'));
  await expect(confirm).resolves.toEqual({ verdict: 'won', booking_id: 5 });
  // the late 401 reuses the token the first re-login stored instead of logging in again
  expect(wx.login).toHaveBeenCalledTimes(1);
  expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond').map((c) => c.header.Authorization)).toEqual(['Bearer old', 'Bearer fresh-1']);
});

test('a POST refused with 401 is replayed once with the new token (the server did nothing the first time)', async () => {
  const { server } = installWx({
    token: 'old',
    routes: {
      'POST /api/v1/auth/login': ok({ token: 'fresh' }),
      'POST /api/v1/bookings': (req) => (req.header.Authorization === 'Bearer old' ? fail(401, 40100, '登录已过期') : ok({ booking_id: 9 }, 201)),
    },
  });
  await expect(request.post('/api/v1/bookings', { profile_id: 1 })).resolves.toEqual({ booking_id: 9 });
  expect(server.callsTo('POST', '/api/v1/bookings')).toHaveLength(2);
});

test('offline: a GET is tried once more, a POST is never repeated', async () => {
  const { server } = installWx({
    routes: {
      'GET /api/v1/sessions': once(NETWORK_DOWN, ok({ items: [1] })),
      'POST /api/v1/bookings': NETWORK_DOWN,
    },
  });
  await expect(request.get('/api/v1/sessions')).resolves.toEqual({ items: [1] });
  expect(server.callsTo('GET', '/api/v1/sessions')).toHaveLength(2);
  await expect(request.post('/api/v1/bookings', {})).rejects.toMatchObject({ status: 0, message: '网络不给力，请检查网络后重试' });
  expect(server.callsTo('POST', '/api/v1/bookings')).toHaveLength(1);
});

test('a GET that timed out is not repeated (the parent has already waited); the error says so', async () => {
  const { server } = installWx({ routes: { 'GET /api/v1/sessions': TIMEOUT } });
  await expect(request.get('/api/v1/sessions')).rejects.toMatchObject({ status: 0, timeout: true });
  expect(server.callsTo('GET', '/api/v1/sessions')).toHaveLength(1);
});

test('confirm and begin are repeated once after a lost connection (the server answers a repeated confirm the same); decline is not', async () => {
  const { server } = installWx({
    routes: { 'PUT /api/v1/waitlist/11/respond': once(NETWORK_DOWN, ok({ verdict: 'won', booking_id: 5 })) },
  });
  await expect(api.respond(11, 'confirm')).resolves.toMatchObject({ verdict: 'won' });
  expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond')).toHaveLength(2);
  server.routes['PUT /api/v1/waitlist/11/respond'] = NETWORK_DOWN;
  await expect(api.respond(11, 'decline')).rejects.toMatchObject({ status: 0 });
  expect(server.callsTo('PUT', '/api/v1/waitlist/11/respond')).toHaveLength(3);
});
