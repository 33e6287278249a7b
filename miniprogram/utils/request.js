// Authenticated API calls: adds the JWT; on 401 logs in again silently and replays the call
// once; repeats a GET once when the network failed before any answer (never a POST/PUT/DELETE:
// those are retried by the page only after it has checked what the server already did).
const http = require('./http');
const auth = require('./auth');

/**
 * @param {string} url path under apiBase, e.g. "/api/v1/waitlist/my"
 * @param {{method?: string, data?: any, retries?: number}} [options] `retries`: extra attempts
 *   after a network failure (default 1 for GET, 0 otherwise); a timeout is never repeated
 * @returns {Promise<any>} the envelope's data; rejects with an ApiError
 */
function request(url, options = {}) {
  const method = options.method || 'GET';
  const retries = options.retries !== undefined ? options.retries : method === 'GET' ? 1 : 0;
  const call = (/** @type {string} */ token) => http.send({ url, method, data: options.data, token });
  /** @returns {Promise<any>} */
  const attempt = (/** @type {string} */ token, /** @type {number} */ left) =>
    call(token).catch((err) => {
      if (http.isNetworkError(err) && !err.timeout && left > 0) return attempt(token, left - 1);
      throw err;
    });
  return auth.ensureToken().then((token) =>
    attempt(token, retries).catch((err) => {
      // 401: the server refused the token before doing anything, so one replay is safe.
      if (err && err.status === 401) return auth.renew(token).then((fresh) => attempt(fresh, retries));
      throw err;
    }),
  );
}

/**
 * Tells the parent what went wrong, in the API's own words.
 * @param {any} err
 */
function showError(err) {
  const message = (err && err.message) || http.SERVER_MESSAGE;
  wx.showToast({ title: message, icon: 'none', duration: 2500 });
}

module.exports = {
  request,
  showError,
  isNetworkError: http.isNetworkError,
  get: (/** @type {string} */ url, /** @type {any} */ data) => request(url, { method: 'GET', data }),
  post: (/** @type {string} */ url, /** @type {any} */ data) => request(url, { method: 'POST', data }),
  put: (/** @type {string} */ url, /** @type {any} */ data) => request(url, { method: 'PUT', data }),
  del: (/** @type {string} */ url) => request(url, { method: 'DELETE' }),
  ApiError: http.ApiError,
};
