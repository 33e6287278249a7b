// A fake `wx` for tests: an in-memory storage, a scripted API server behind wx.request,
// and jest mocks for every other API the mini-program calls.
const config = require('../../config');

/** Envelope of a success. */
function ok(data, code = 200) {
  return { statusCode: code, data: { code, message: 'ok', data } };
}

/** Envelope of an API error. */
function fail(statusCode, code, message, data = null) {
  return { statusCode, data: { code, message, data } };
}

const NETWORK_DOWN = { network: 'down' };

/**
 * @param {Record<string, any>} routes "METHOD /path" → response | (req) => response | NETWORK_DOWN
 */
function createServer(routes = {}) {
  const calls = [];
  const table = { ...routes };
  const request = jest.fn((options) => {
    const path = options.url.slice(config.apiBase.length);
    const req = { method: options.method || 'GET', path, data: options.data, header: options.header || {} };
    calls.push(req);
    let res = table[`${req.method} ${path}`];
    if (typeof res === 'function') res = res(req);
    if (res === undefined) res = fail(404, 40400, '未找到');
    Promise.resolve().then(() => {
      if (res === NETWORK_DOWN) options.fail && options.fail({ errMsg: 'request:fail' });
      else options.success && options.success({ ...res, header: {}, cookies: [], errMsg: 'request:ok' });
    });
    return { abort() {} };
  });
  return {
    request,
    calls,
    routes: table,
    /** calls to one route */
    callsTo: (method, path) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/**
 * Installs a fresh fake wx; returns the server and the mocks for assertions.
 * @param {{routes?: Record<string, any>, token?: string | null, modalConfirm?: boolean, subscribe?: any}} [opts]
 */
function installWx(opts = {}) {
  const server = createServer(opts.routes);
  const store = new Map();
  const token = opts.token === undefined ? 'test-token' : opts.token;
  if (token) store.set('auth_token', token);
  const mocks = {
    request: server.request,
    getStorageSync: jest.fn((k) => (store.has(k) ? store.get(k) : '')),
    setStorageSync: jest.fn((k, v) => store.set(k, v)),
    removeStorageSync: jest.fn((k) => store.delete(k)),
    login: jest.fn((o) => Promise.resolve().then(() => o.success({ code: 'wx-code-1', errMsg: 'login:ok' }))),
    showToast: jest.fn(),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    showModal: jest.fn((o) =>
      Promise.resolve().then(() => o.success && o.success({ confirm: opts.modalConfirm !== false, cancel: opts.modalConfirm === false })),
    ),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    switchTab: jest.fn(),
    navigateBack: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    requestSubscribeMessage: jest.fn((o) =>
      Promise.resolve().then(() => {
        if (opts.subscribe === 'fail') o.fail && o.fail({ errMsg: 'requestSubscribeMessage:fail cancel', errCode: 20004 });
        else o.success && o.success(opts.subscribe || { errMsg: 'requestSubscribeMessage:ok' });
      }),
    ),
  };
  global.wx = Object.assign(global.wx || {}, mocks);
  return { server, store, wx: mocks };
}

module.exports = { installWx, createServer, ok, fail, NETWORK_DOWN };
