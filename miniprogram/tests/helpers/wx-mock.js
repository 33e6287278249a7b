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
/** The request may have reached the server; no answer came back in time. */
const TIMEOUT = { network: 'timeout' };

/** An answer the test releases later: `{promise, resolve}` (resolve with ok(...), fail(...), NETWORK_DOWN). */
function deferred() {
  let resolve;
  const promise = new Promise((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A route that answers `first` once, then `then` for every later call. */
function once(first, then) {
  let used = false;
  return (req) => {
    const res = used ? then : first;
    used = true;
    return typeof res === 'function' ? res(req) : res;
  };
}

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
    // a promise: the answer comes when the test resolves it (a slow network)
    Promise.resolve(res).then((answer) => {
      res = answer === undefined ? fail(404, 40400, '未找到') : answer;
      if (res === NETWORK_DOWN) options.fail && options.fail({ errMsg: 'request:fail' });
      else if (res === TIMEOUT) options.fail && options.fail({ errMsg: 'request:fail timeout' });
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
 * @param {{routes?: Record<string, any>, token?: string | null, modalConfirm?: boolean, subscribe?: any,
 *   setting?: any, calendar?: 'fail'}} [opts]
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
    setTabBarBadge: jest.fn(),
    removeTabBarBadge: jest.fn(),
    getSetting: jest.fn((o) =>
      Promise.resolve().then(() =>
        o.success && o.success({ authSetting: {}, subscriptionsSetting: opts.setting || { mainSwitch: true }, errMsg: 'getSetting:ok' }),
      ),
    ),
    openSetting: jest.fn((o) => Promise.resolve().then(() => o.complete && o.complete({}))),
    addPhoneCalendar: jest.fn((o) =>
      Promise.resolve().then(() => {
        if (opts.calendar === 'fail') o.fail && o.fail({ errMsg: 'addPhoneCalendar:fail auth deny' });
        else o.success && o.success({ errMsg: 'addPhoneCalendar:ok' });
      }),
    ),
    makePhoneCall: jest.fn(),
    onNetworkStatusChange: jest.fn(),
  };
  global.wx = Object.assign(global.wx || {}, mocks);
  return { server, store, wx: mocks };
}

module.exports = { installWx, createServer, ok, fail, once, deferred, NETWORK_DOWN, TIMEOUT };
