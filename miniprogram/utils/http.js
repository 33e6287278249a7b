// One HTTP round trip with wx.request, unwrapping the API's {code, message, data} envelope.
const config = require('../config');

const NETWORK_MESSAGE = '网络不给力，请检查网络后重试';
const SERVER_MESSAGE = '服务繁忙，请稍后再试';

class ApiError extends Error {
  /**
   * @param {number} code business code (40907 …), 0 for a network failure
   * @param {string} message Chinese sentence meant for the parent
   * @param {number} status HTTP status, 0 for a network failure
   * @param {any} [data] the envelope's data (e.g. {verdict} or {field})
   */
  constructor(code, message, status, data) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.data = data === undefined ? null : data;
    /** true when the request timed out (it may have reached the server) */
    this.timeout = false;
  }
}

/**
 * @param {{url: string, method?: string, data?: any, token?: string | null}} options
 * @returns {Promise<any>} the envelope's `data`
 */
function send({ url, method = 'GET', data, token }) {
  /** @type {Record<string, string>} */
  const header = { 'content-type': 'application/json' };
  if (token) header.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.apiBase + url,
      method: /** @type {any} */ (method),
      data,
      header,
      timeout: config.requestTimeoutMs,
      success(res) {
        const body = /** @type {any} */ (res.data);
        const envelope = body && typeof body === 'object' && 'code' in body;
        if (res.statusCode >= 200 && res.statusCode < 300 && envelope) {
          resolve(body.data);
          return;
        }
        if (envelope) {
          reject(new ApiError(body.code, body.message || SERVER_MESSAGE, res.statusCode, body.data));
          return;
        }
        reject(new ApiError(res.statusCode * 100, SERVER_MESSAGE, res.statusCode));
      },
      fail(res) {
        const err = new ApiError(0, NETWORK_MESSAGE, 0);
        // A timeout may have reached the server; an immediate failure (offline) did not.
        err.timeout = /timeout|time out|超时/i.test((res && res.errMsg) || '');
        reject(err);
      },
    });
  });
}

/** A failure before any answer came back (offline, timeout). @param {any} err */
function isNetworkError(err) {
  return !!err && err.status === 0;
}

module.exports = { send, ApiError, isNetworkError, NETWORK_MESSAGE, SERVER_MESSAGE };
