// The pages the screenshot script renders, each with demo data (tests/fixtures.js).
const { ok, fail, NETWORK_DOWN } = require('../tests/helpers/wx-mock');
const fx = require('../tests/fixtures');

const club = { 'GET /api/v1/club': ok(fx.clubProfile) };
const sessionsRoutes = (items) => ({
  ...club,
  'GET /api/v1/profiles': ok({ items: fx.profiles }),
  'GET /api/v1/sessions': ok({ items }),
});
const waitlistRoutes = {
  ...club,
  'GET /api/v1/waitlist/my': ok({ items: [fx.waitlist[0], fx.notifiedWithoutOffer].concat(fx.waitlist.slice(1)) }),
  'GET /api/v1/waitlist/position/12': ok({ waitlist_id: 12, position: 2, waitlist_count: 5, status: 'waiting' }),
  'GET /api/v1/waitlist/12/notifications': ok({ items: fx.waitlistHistory.slice(1) }),
  'PUT /api/v1/waitlist/11/respond': ok({ verdict: 'began', grace_until: '2026-11-23T12:42:00+08:00' }),
};
const detailQuery = (s) => ({ course_schedule_id: String(s.course_schedule_id), booking_date: s.booking_date });

/**
 * name: file name; route: page; query: onLoad query; routes: fake API; setting: wx.getSetting's
 * subscriptionsSetting; then: extra steps on the page.
 * @type {Array<{name: string, route: string, query?: any, routes: any, setting?: any, then?: (page: any) => Promise<void>}>}
 */
module.exports = [
  { name: 'sessions-index', route: 'pages/sessions/index', routes: sessionsRoutes(fx.sessions) },
  {
    name: 'sessions-first-start',
    route: 'pages/sessions/index',
    routes: { ...sessionsRoutes(fx.sessions), 'GET /api/v1/profiles': ok({ items: [] }) },
  },
  { name: 'sessions-detail-full', route: 'pages/sessions/detail', query: detailQuery(fx.sessions[0]), routes: sessionsRoutes(fx.sessions) },
  { name: 'sessions-detail-waitlisted', route: 'pages/sessions/detail', query: detailQuery(fx.sessions[1]), routes: sessionsRoutes(fx.sessions) },
  { name: 'sessions-detail-offered', route: 'pages/sessions/detail', query: detailQuery(fx.sessions[2]), routes: sessionsRoutes(fx.sessions) },
  {
    // issue 18: 小明 and 小红 join as one family entry
    name: 'sessions-detail-family',
    route: 'pages/sessions/detail',
    query: detailQuery(fx.sessions[0]),
    routes: sessionsRoutes(fx.sessions),
    then: async (page) => {
      page.instance.onSibling({ currentTarget: { dataset: { id: 2 } } });
      page.instance.onTogglePartial();
    },
  },
  {
    name: 'waitlist-detail-family-auto',
    route: 'pages/waitlist/detail',
    query: { id: '17' },
    routes: {
      ...club,
      'GET /api/v1/waitlist/my': ok({ items: [fx.familyAutoBooked] }),
      'GET /api/v1/waitlist/17/notifications': ok({ items: [] }),
      'GET /api/v1/bookings': ok({ items: fx.familyBookings }),
    },
  },
  {
    name: 'waitlist-index-family',
    route: 'pages/waitlist/index',
    routes: { ...club, 'GET /api/v1/waitlist/my': ok({ items: [fx.familyWaiting, fx.waitlist[1], fx.familyAutoBooked, fx.waitlist[2]] }) },
  },
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
    routes: { ...club, 'GET /api/v1/makeup/pending': ok({ items: fx.pendingMakeups }), 'GET /api/v1/compensation/balance': ok(fx.compensationBalance) },
  },
  {
    name: 'makeup-select',
    route: 'pages/makeup/select',
    query: { pending_id: '21' },
    routes: {
      ...club,
      'GET /api/v1/makeup/pending': ok({ items: fx.pendingMakeups }),
      'GET /api/v1/makeup/available': ok({ items: fx.availableMakeups }),
      'GET /api/v1/compensation/balance': ok(fx.compensationBalance),
    },
  },
  {
    name: 'makeup-select-full',
    route: 'pages/makeup/select',
    query: { pending_id: '21' },
    routes: {
      ...club,
      'GET /api/v1/makeup/pending': ok({ items: fx.pendingMakeups }),
      'GET /api/v1/makeup/available': ok({ items: [fx.availableMakeups[3], fx.availableMakeups[2]] }),
    },
  },
  {
    name: 'makeup-success',
    route: 'pages/makeup/success',
    query: {
      id: '41', course: encodeURIComponent('少儿体操基础班'), child: encodeURIComponent('小明'),
      starts_at: encodeURIComponent('2026-11-25T18:00:00+08:00'), location: encodeURIComponent('浦东馆'),
      minutes: '90', original: '120', price: '180', course_type: 'group', type: 'partial', created: '30', used: '0', remaining: '120',
    },
    routes: club,
  },
  { name: 'my-makeups', route: 'pages/my-bookings/makeup/index', routes: { ...club, 'GET /api/v1/makeup/my': ok({ items: fx.myMakeups }) } },
  { name: 'makeup-detail', route: 'pages/my-bookings/makeup/detail', query: { id: '41' }, routes: { ...club, 'GET /api/v1/makeup/41': ok(fx.makeupDetail) } },
  {
    name: 'bookings',
    route: 'pages/bookings/index',
    routes: { ...club, 'GET /api/v1/profiles': ok({ items: fx.profiles }), 'GET /api/v1/bookings': ok({ items: fx.bookings }) },
  },
  { name: 'profiles', route: 'pages/profiles/index', routes: { 'GET /api/v1/profiles': ok({ items: fx.profiles }) } },
  {
    name: 'mine',
    route: 'pages/mine/index',
    routes: { ...club, 'GET /api/v1/profiles': ok({ items: fx.profiles }), 'GET /api/v1/compensation/balance': ok(fx.compensationBalance) },
  },
  { name: 'help', route: 'pages/help/index', routes: club },
  {
    name: 'settings-notifications',
    route: 'pages/settings/notifications',
    routes: club,
    setting: { mainSwitch: true, itemSettings: { 'tpl-spot-available': 'accept', 'tpl-hold-for-you': 'accept', 'tpl-makeup-booked': 'reject' } },
  },
  {
    name: 'compensation',
    route: 'pages/makeup/compensation',
    routes: {
      ...club,
      'GET /api/v1/compensation/balance': ok(fx.compensationBalance),
      'GET /api/v1/compensation/history': ok({ items: fx.compensationHistory }),
      'GET /api/v1/profiles': ok({ items: fx.profiles }),
    },
  },
  {
    name: 'notifications',
    route: 'pages/notifications/index',
    routes: { 'GET /api/v1/notifications': ok(fx.notificationPage()) },
    then: async (page) => page.instance.onPopupClose(),
  },
  { name: 'state-error', route: 'pages/waitlist/index', routes: { 'GET /api/v1/waitlist/my': NETWORK_DOWN } },
  { name: 'state-empty', route: 'pages/waitlist/index', routes: { 'GET /api/v1/waitlist/my': ok({ items: [] }) } },
];
