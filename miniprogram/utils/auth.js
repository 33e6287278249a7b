// Login: wx.login → POST /api/v1/auth/login {code} → JWT kept in storage.
const http = require('./http');
const storage = require('./storage');

/** @type {Promise<string> | null} */
let inFlight = null;

function wxLoginCode() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new http.ApiError(0, '微信登录失败，请重试', 0))),
      fail: () => reject(new http.ApiError(0, '微信登录失败，请重试', 0)),
    });
  });
}

/** Logs in again, whatever is stored. Concurrent callers share one attempt. */
function login() {
  if (!inFlight) {
    inFlight = wxLoginCode()
      .then((code) => http.send({ url: '/api/v1/auth/login', method: 'POST', data: { code } }))
      .then((data) => {
        storage.setToken(data.token);
        if (data.user_id !== undefined) storage.set(storage.KEYS.userId, data.user_id);
        return /** @type {string} */ (data.token);
      })
      .finally(() => {
        inFlight = null;
      });
  }
  return inFlight;
}

/** The stored token, or a fresh one. */
function ensureToken() {
  const token = storage.getToken();
  return token ? Promise.resolve(/** @type {string} */ (token)) : login();
}

/**
 * A fresh token after the server refused `stale` (401). If another request already logged in
 * again meanwhile, its token is used instead of logging in a second time.
 * @param {string} stale the token the refused request carried
 */
function renew(stale) {
  const stored = storage.getToken();
  if (stored && stored !== stale) return Promise.resolve(/** @type {string} */ (stored));
  if (inFlight) return inFlight;
  storage.clearToken();
  return login();
}

module.exports = { login, ensureToken, renew };
