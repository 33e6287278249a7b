// Every API route the mini-program calls, one function each (paths: docs/api.md and
// docs/parent-app-contract.md).
const { request, get, post, del } = require('./request');

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
  club: () => get('/api/v1/club'),

  profiles: () => get('/api/v1/profiles'),
  createProfile: (/** @type {{name: string, level: number}} */ body) => post('/api/v1/profiles', body),

  sessions: (/** @type {Record<string, any>} */ filters) => get('/api/v1/sessions', compact(filters || {})),
  book: (/** @type {any} */ body) => post('/api/v1/bookings', body),
  myBookings: () => get('/api/v1/bookings'),
  cancelBooking: (/** @type {number} */ id) => post(`/api/v1/bookings/${id}/cancel`),
  leaveBooking: (/** @type {number} */ id) => post(`/api/v1/bookings/${id}/leave`),

  joinWaitlist: (/** @type {any} */ body) => post('/api/v1/waitlist/join', body),
  myWaitlist: () => get('/api/v1/waitlist/my'),
  leaveWaitlist: (/** @type {number} */ id) => del(`/api/v1/waitlist/${id}`),
  waitlistPosition: (/** @type {number} */ id) => get(`/api/v1/waitlist/position/${id}`),
  /** begin and confirm are idempotent on the server (a repeated confirm of a won entry answers won). */
  respond: (/** @type {number} */ id, /** @type {'begin'|'confirm'|'decline'} */ action) =>
    request(`/api/v1/waitlist/${id}/respond`, { method: 'PUT', data: { action }, retries: action === 'decline' ? 0 : 1 }),
  waitlistHistory: (/** @type {number} */ id) => get(`/api/v1/waitlist/${id}/notifications`),

  pendingMakeups: () => get('/api/v1/makeup/pending'),
  availableMakeups: (/** @type {Record<string, any>} */ query) => get('/api/v1/makeup/available', compact(query)),
  bookMakeup: (/** @type {any} */ body) => post('/api/v1/makeup/book', body),
  myMakeups: (/** @type {string} */ status) => get('/api/v1/makeup/my', compact({ status })),
  makeup: (/** @type {number} */ id) => get(`/api/v1/makeup/${id}`),
  cancelMakeup: (/** @type {number} */ id) => del(`/api/v1/makeup/${id}/cancel`),

  compensationBalance: () => get('/api/v1/compensation/balance'),
  compensationHistory: () => get('/api/v1/compensation/history'),

  notifications: (/** @type {{page?: number, page_size?: number}} */ paging) => get('/api/v1/notifications', compact(paging || {})),
  readNotification: (/** @type {number} */ id) => post(`/api/v1/notifications/${id}/read`),
  readAllNotifications: () => post('/api/v1/notifications/read-all'),
  reportGrants: (/** @type {Record<string, string>} */ results) => post('/api/v1/notifications/grants', { results }),
};
