// Every API route the mini-program calls, one function each (paths: docs/api.md).
const { get, post, put, del } = require('./request');

/**
 * Drops empty filter values so the query string only carries what the parent chose.
 * @param {Record<string, any>} params
 */
function compact(params) {
  /** @type {Record<string, any>} */
  const out = {};
  Object.keys(params).forEach((k) => {
    const v = params[k];
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  });
  return out;
}

module.exports = {
  compact,
  profiles: () => get('/api/v1/profiles'),
  sessions: (/** @type {Record<string, any>} */ filters) => get('/api/v1/sessions', compact(filters || {})),
  book: (/** @type {any} */ body) => post('/api/v1/bookings', body),

  joinWaitlist: (/** @type {any} */ body) => post('/api/v1/waitlist/join', body),
  myWaitlist: () => get('/api/v1/waitlist/my'),
  leaveWaitlist: (/** @type {number} */ id) => del(`/api/v1/waitlist/${id}`),
  waitlistPosition: (/** @type {number} */ id) => get(`/api/v1/waitlist/position/${id}`),
  respond: (/** @type {number} */ id, /** @type {'begin'|'confirm'|'decline'} */ action) =>
    put(`/api/v1/waitlist/${id}/respond`, { action }),
  waitlistHistory: (/** @type {number} */ id) => get(`/api/v1/waitlist/${id}/notifications`),

  pendingMakeups: () => get('/api/v1/makeup/pending'),
  availableMakeups: (/** @type {Record<string, any>} */ query) => get('/api/v1/makeup/available', compact(query)),
  bookMakeup: (/** @type {any} */ body) => post('/api/v1/makeup/book', body),
  myMakeups: () => get('/api/v1/makeup/my'),
  cancelMakeup: (/** @type {number} */ id) => del(`/api/v1/makeup/${id}/cancel`),

  compensationBalance: () => get('/api/v1/compensation/balance'),
  compensationHistory: () => get('/api/v1/compensation/history'),

  notifications: () => get('/api/v1/notifications'),
  reportGrants: (/** @type {Record<string, string>} */ results) => post('/api/v1/notifications/grants', { results }),
};
