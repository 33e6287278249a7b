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
 * Why the service refuses a join body with 400 40000 (issue 18), or null: sibling_ids must be
 * other children (not profile_id, none twice), at most 5; a makeup (pending_id) is one child's
 * and is never auto-accepted.
 */
function joinRefusal(body) {
  const siblings = body.sibling_ids;
  const makeup = body.pending_id !== undefined && body.pending_id !== null;
  if (makeup && body.auto_accept) return { field: 'auto_accept', message: '补课候补不能自动预约' };
  if (siblings !== undefined && (!Array.isArray(siblings) || siblings.some((id) => !Number.isInteger(id)))) return { field: 'sibling_ids', message: '孩子参数有误' };
  const list = siblings || [];
  if (list.length > 5) return { field: 'sibling_ids', message: '一次最多为6个孩子候补' };
  if (list.indexOf(body.profile_id) >= 0 || new Set(list).size !== list.length) return { field: 'sibling_ids', message: '一起候补的孩子不能重复' };
  if (makeup && list.length > 0) return { field: 'sibling_ids', message: '补课候补只能为一个孩子' };
  return null;
}

/** A POST /api/v1/waitlist/join route as strict as the service about issue 18's fields; else `answer`. */
function strictJoin(answer) {
  return (req) => {
    const refused = joinRefusal(req.data || {});
    if (refused) return fail(400, 40000, refused.message, { field: refused.field });
    return typeof answer === 'function' ? answer(req) : answer;
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

module.exports = { installWx, createServer, ok, fail, once, deferred, strictJoin, joinRefusal, NETWORK_DOWN, TIMEOUT };
