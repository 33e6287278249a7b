// The pages the screenshot script renders, each with demo data (tests/fixtures.js).
const { ok, fail, NETWORK_DOWN } = require('../tests/helpers/wx-mock');
const fx = require('../tests/fixtures');

const sessionsRoutes = (items) => ({
  'GET /api/v1/profiles': ok({ items: fx.profiles }),
  'GET /api/v1/sessions': ok({ items }),
});
const waitlistRoutes = {
  'GET /api/v1/waitlist/my': ok({ items: fx.waitlist }),
  'GET /api/v1/waitlist/position/12': ok({ waitlist_id: 12, position: 2, waitlist_count: 5, status: 'waiting' }),
  'GET /api/v1/waitlist/12/notifications': ok({ items: fx.waitlistHistory.slice(1) }),
  'PUT /api/v1/waitlist/11/respond': ok({ verdict: 'began', grace_until: '2026-11-23T12:42:00+08:00' }),
};
const detailQuery = (s) => ({ course_schedule_id: String(s.course_schedule_id), booking_date: s.booking_date });

/**
 * name: file name; route: page; query: onLoad query; routes: fake API; then: extra steps on the page.
 * @type {Array<{name: string, route: string, query?: any, routes: any, then?: (page: any) => Promise<void>}>}
 */
module.exports = [
  { name: 'sessions-index', route: 'pages/sessions/index', routes: sessionsRoutes(fx.sessions) },
  { name: 'sessions-detail-full', route: 'pages/sessions/detail', query: detailQuery(fx.sessions[0]), routes: sessionsRoutes(fx.sessions) },
  { name: 'sessions-detail-waitlisted', route: 'pages/sessions/detail', query: detailQuery(fx.sessions[1]), routes: sessionsRoutes(fx.sessions) },
  { name: 'sessions-detail-offered', route: 'pages/sessions/detail', query: detailQuery(fx.sessions[2]), routes: sessionsRoutes(fx.sessions) },
  {
    name: 'waitlist-index',
    route: 'pages/waitlist/index',
    routes: waitlistRoutes,
    then: async (page) => page.instance.onPopupClose(),
  },
  { name: 'waitlist-index-popup', route: 'pages/waitlist/index', routes: waitlistRoutes },
  { name: 'waitlist-detail', route: 'pages/waitlist/detail', query: { id: '12' }, routes: waitlistRoutes },
  { name: 'waitlist-offer', route: 'pages/waitlist/offer', query: { id: '11' }, routes: waitlistRoutes },
  {
    name: 'waitlist-offer-confirm',
    route: 'pages/waitlist/offer',
    query: { id: '11' },
    routes: waitlistRoutes,
    then: (page) => page.instance.onBegin(),
  },
  {
    name: 'waitlist-offer-taken',
    route: 'pages/waitlist/offer',
    query: { id: '11' },
    routes: { ...waitlistRoutes, 'PUT /api/v1/waitlist/11/respond': fail(409, 40907, '名额已被抢占', { verdict: 'taken' }) },
    then: (page) => page.instance.onBegin(),
  },
  {
    name: 'waitlist-offer-expired',
    route: 'pages/waitlist/offer',
    query: { id: '11' },
    routes: {
      ...waitlistRoutes,
      'PUT /api/v1/waitlist/11/respond': fail(410, 41000, '候补确认已过期，名额已顺位给下一位候补用户', { verdict: 'expired' }),
    },
    then: (page) => page.instance.onBegin(),
  },
  {
    name: 'makeup-index',
    route: 'pages/makeup/index',
    routes: { 'GET /api/v1/makeup/pending': ok({ items: fx.pendingMakeups }), 'GET /api/v1/compensation/balance': ok(fx.compensationBalance) },
  },
  {
    name: 'makeup-select',
    route: 'pages/makeup/select',
    query: { pending_id: '21' },
    routes: {
      'GET /api/v1/makeup/pending': ok({ items: fx.pendingMakeups }),
      'GET /api/v1/makeup/available': ok({ items: fx.availableMakeups }),
      'GET /api/v1/compensation/balance': ok(fx.compensationBalance),
    },
  },
  {
    name: 'makeup-success',
    route: 'pages/makeup/success',
    query: {
      id: '41', course: encodeURIComponent('少儿体操基础班'), child: encodeURIComponent('小明'),
      starts_at: encodeURIComponent('2026-11-25T18:00:00+08:00'), location: encodeURIComponent('浦东馆'),
      minutes: '90', original: '120', price: '180', type: 'partial', created: '30', used: '0', remaining: '120',
    },
    routes: {},
  },
  { name: 'my-makeups', route: 'pages/my-bookings/makeup/index', routes: { 'GET /api/v1/makeup/my': ok({ items: fx.myMakeups }) } },
  {
    name: 'compensation',
    route: 'pages/makeup/compensation',
    routes: {
      'GET /api/v1/compensation/balance': ok(fx.compensationBalance),
      'GET /api/v1/compensation/history': ok({ items: fx.compensationHistory }),
      'GET /api/v1/profiles': ok({ items: fx.profiles }),
    },
  },
  {
    name: 'notifications',
    route: 'pages/notifications/index',
    routes: { 'GET /api/v1/notifications': ok({ items: fx.notifications }) },
    then: async (page) => page.instance.onPopupClose(),
  },
  { name: 'state-error', route: 'pages/waitlist/index', routes: { 'GET /api/v1/waitlist/my': NETWORK_DOWN } },
  { name: 'state-empty', route: 'pages/waitlist/index', routes: { 'GET /api/v1/waitlist/my': ok({ items: [] }) } },
];
