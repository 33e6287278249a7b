// Authenticated API calls: adds the JWT, logs in again once on 401, shows API messages.
const http = require('./http');
const auth = require('./auth');
const storage = require('./storage');

/**
 * @param {string} url path under apiBase, e.g. "/api/v1/waitlist/my"
 * @param {{method?: string, data?: any}} [options]
 * @returns {Promise<any>} the envelope's data; rejects with an ApiError
 */
function request(url, options = {}) {
  const call = (/** @type {string} */ token) => http.send({ url, method: options.method, data: options.data, token });
  return auth.ensureToken().then((token) =>
    call(token).catch((err) => {
      if (err && err.status === 401) {
        storage.clearToken();
        return auth.login().then(call);
      }
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
  get: (/** @type {string} */ url, /** @type {any} */ data) => request(url, { method: 'GET', data }),
  post: (/** @type {string} */ url, /** @type {any} */ data) => request(url, { method: 'POST', data }),
  put: (/** @type {string} */ url, /** @type {any} */ data) => request(url, { method: 'PUT', data }),
  del: (/** @type {string} */ url) => request(url, { method: 'DELETE' }),
  ApiError: http.ApiError,
};
