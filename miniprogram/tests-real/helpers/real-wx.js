// A `wx` for Node that talks to the real API: wx.request over HTTP (same semantics as WeChat's:
// GET data becomes the query string, other methods send JSON), wx.login with a dev code (the
// service accepts them without WeChat credentials), storage in memory, and recording jest mocks
// for the rest. Each "phone" (parent) has its own storage and login code.
const http = require('http');
const { URL } = require('url');
const config = require('../../config');
const { record } = require('./recorder');

/** @param {Record<string, any>} data */
function query(data) {
  return Object.keys(data || {})
    .filter((k) => data[k] !== undefined && data[k] !== null)
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(data[k]))}`)
    .join('&');
}

/**
 * @param {string} base the real API, e.g. http://127.0.0.1:18180
 * @param {{code: string, modalConfirm?: boolean}} opts
 */
function createPhone(base, opts) {
  const store = new Map();
  const requests = [];
  const request = jest.fn((o) => {
    const method = (o.method || 'GET').toUpperCase();
    // the app's config points at its own apiBase: the phone sends it to the real service
    const path = o.url.startsWith(config.apiBase) ? o.url.slice(config.apiBase.length) : o.url;
    let target = `${base}${path}`;
    let body = null;
    if (method === 'GET' && o.data && Object.keys(o.data).length) target += `${target.includes('?') ? '&' : '?'}${query(o.data)}`;
    else if (method !== 'GET' && o.data !== undefined) body = JSON.stringify(o.data);
    const url = new URL(target);
    const headers = { ...(o.header || {}) };
    if (body !== null) headers['content-length'] = Buffer.byteLength(body);
    const entry = { method, path: url.pathname, search: url.search, body: o.data };
    requests.push(entry);
    const req = http.request(url, { method, headers, timeout: o.timeout || 15000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let data = text;
        try {
          data = JSON.parse(text);
        } catch (e) {
          // not JSON: handed over as text, as wx.request does
        }
        entry.status = res.statusCode;
        entry.answer = data;
        record(method, url.pathname, res.statusCode, data);
        o.success && o.success({ statusCode: res.statusCode, data, header: res.headers, cookies: [], errMsg: 'request:ok' });
        o.complete && o.complete({});
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => {
      o.fail && o.fail({ errMsg: `request:fail ${err.message}` });
      o.complete && o.complete({});
    });
    if (body !== null) req.write(body);
    req.end();
    return { abort: () => req.destroy() };
  });
  const answer = (o, res) => Promise.resolve().then(() => {
    o.success && o.success(res);
    o.complete && o.complete(res);
  });
  const wx = {
    request,
    login: jest.fn((o) => answer(o, { code: opts.code, errMsg: 'login:ok' })),
    getStorageSync: jest.fn((k) => (store.has(k) ? store.get(k) : '')),
    setStorageSync: jest.fn((k, v) => store.set(k, v)),
    removeStorageSync: jest.fn((k) => store.delete(k)),
    showToast: jest.fn(),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    showModal: jest.fn((o) => answer(o, { confirm: opts.modalConfirm !== false, cancel: opts.modalConfirm === false })),
    navigateTo: jest.fn((o) => answer(o, { errMsg: 'navigateTo:ok' })),
    redirectTo: jest.fn((o) => answer(o, { errMsg: 'redirectTo:ok' })),
    switchTab: jest.fn((o) => answer(o, { errMsg: 'switchTab:ok' })),
    navigateBack: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    // the parent taps 允许 for every template asked for
    requestSubscribeMessage: jest.fn((o) => {
      const res = { errMsg: 'requestSubscribeMessage:ok' };
      o.tmplIds.forEach((id) => {
        res[id] = 'accept';
      });
      return answer(o, res);
    }),
    getSetting: jest.fn((o) => answer(o, { authSetting: {}, subscriptionsSetting: { mainSwitch: true }, errMsg: 'getSetting:ok' })),
    openSetting: jest.fn((o) => answer(o, {})),
    addPhoneCalendar: jest.fn((o) => answer(o, { errMsg: 'addPhoneCalendar:ok' })),
    makePhoneCall: jest.fn(),
    setTabBarBadge: jest.fn(),
    removeTabBarBadge: jest.fn(),
    onNetworkStatusChange: jest.fn(),
  };
  return { wx, store, requests, code: opts.code };
}

/** Makes a phone the one the app's code talks through (global `wx`). */
function use(phone) {
  global.wx = phone.wx;
  return phone;
}

/**
 * Waits for a condition the service will make true (a page's request finished, an offer arrived),
 * checking every 50 ms, failing with `what` after `timeoutMs`.
 */
async function until(check, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

module.exports = { createPhone, use, until };
