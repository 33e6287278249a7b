// The demo fixtures (tests/fixtures.js) hold only what the real service sends, and everything it
// always sends: each is validated against the service's OpenAPI document and compared with the
// shapes the real-service tier recorded (tests/contract/, written by
// `MINI_REAL_RECORD=1 ./scripts/mini-real`; a normal run of that tier fails when the service's
// answers stop matching the recording).
const fs = require('fs');
const path = require('path');
const fx = require('./fixtures');
const { validate, dataSchema } = require('./helpers/openapi');
const { shapeOf, compareShapes } = require('./helpers/shapes');
const { TYPES } = require('../utils/notice-types');

const DIR = path.join(__dirname, 'contract');
const openapi = JSON.parse(fs.readFileSync(path.join(DIR, 'openapi.json'), 'utf8'));
const recorded = JSON.parse(fs.readFileSync(path.join(DIR, 'recorded.json'), 'utf8'));
const items = (list) => ({ items: list });

// fixture → the route whose `data` it stands for
const CASES = [
  ['GET', '/api/v1/club', fx.clubProfile],
  ['GET', '/api/v1/profiles', items(fx.profiles)],
  ['GET', '/api/v1/sessions', items(fx.sessions)],
  ['GET', '/api/v1/bookings', items(fx.bookings)],
  ['GET', '/api/v1/waitlist/my', items(fx.waitlist.concat([fx.notifiedWithoutOffer, fx.familyWaiting, fx.familyAutoBooked]))],
  ['POST', '/api/v1/waitlist/join', fx.familyJoined],
  ['PUT', '/api/v1/waitlist/{id}/respond', { verdict: 'won', booking_id: 320, grace_until: null, booking_ids: [320, 321] }],
  ['POST', '/api/v1/bookings/{id}/cancel', { booking_id: 320, status: 'cancelled', pending_makeup_id: null }],
  ['GET', '/api/v1/waitlist/{id}/notifications', items(fx.waitlistHistory)],
  ['GET', '/api/v1/makeup/pending', items(fx.pendingMakeups)],
  ['GET', '/api/v1/makeup/available', items(fx.availableMakeups)],
  ['POST', '/api/v1/makeup/book', fx.makeupBooked],
  ['GET', '/api/v1/makeup/my', items(fx.myMakeups)],
  ['GET', '/api/v1/makeup/{id}', fx.makeupDetail],
  ['GET', '/api/v1/compensation/balance', fx.compensationBalance],
  ['GET', '/api/v1/compensation/history', items(fx.compensationHistory)],
  ['GET', '/api/v1/notifications', fx.notificationPage()],
];
// maps keyed by course type / template id, and a notification's data (its keys depend on the type)
const OPEN = ['items[].data', 'rules.by_course_type', 'subscribe.templates', 'remaining'];

describe.each(CASES)('%s %s', (method, route, fixture) => {
  test('matches the OpenAPI schema of its route (no field the service lacks, every required one)', () => {
    expect(validate(openapi, dataSchema(openapi, method, route), fixture)).toEqual([]);
  });
  test('has the shape of the real service’s answer recorded by the real-service tier', () => {
    const live = recorded[`${method} ${route}`];
    if (!live) return; // not on the recorded journey: the OpenAPI check above still holds
    expect(compareShapes(live.shape, shapeOf(fixture), '', OPEN)).toEqual([]);
  });
});

test('the recording covers the routes the pages read most', () => {
  ['GET /api/v1/sessions', 'GET /api/v1/waitlist/my', 'GET /api/v1/bookings', 'GET /api/v1/makeup/available', 'GET /api/v1/club',
    'GET /api/v1/notifications', 'GET /api/v1/makeup/{id}'].forEach((key) => expect(Object.keys(recorded)).toContain(key));
});

test('fixture values are values the service sends', () => {
  const all = (list, field) => list.map((x) => x[field]);
  const within = (values, allowed) => values.forEach((v) => expect(allowed).toContain(v));
  within(all(fx.waitlist.concat([fx.notifiedWithoutOffer]), 'status'), ['waiting', 'notified', 'confirmed', 'expired', 'cancelled']);
  within(all(fx.myMakeups, 'status'), ['booked', 'completed', 'cancelled', 'no_show']);
  within(all(fx.bookings, 'status'), ['booked', 'cancelled', 'leave', 'attended', 'no_show']);
  within(all(fx.bookings, 'source'), ['direct', 'waitlist', 'makeup']);
  within(all(fx.pendingMakeups, 'status'), ['open', 'booked']);
  within(all(fx.availableMakeups, 'action'), ['book', 'waitlist']);
  within(all(fx.notifications, 'type'), Object.keys(TYPES));
  within(all(fx.waitlistHistory, 'type'), Object.keys(TYPES));
  fx.waitlistHistory.forEach((n) => expect(n.round).toBeGreaterThanOrEqual(1));
  // an entry has an offer only while it is in play; a finished one never does
  fx.waitlist.forEach((e) => {
    if (e.offer) expect(['waiting', 'notified']).toContain(e.status);
    if (e.position === null) expect(['confirmed', 'expired', 'cancelled']).toContain(e.status);
  });
  // is_full is seats_left == 0; the offered session holds its released seat
  fx.sessions.concat(fx.availableMakeups).forEach((s) => {
    expect(s.is_full).toBe(s.seats_left === 0);
    expect(s.seats_left).toBeLessThanOrEqual(s.capacity - s.booked);
    if (s.action) expect(s.action).toBe(s.is_full ? 'waitlist' : 'book');
  });
  // the unread count is what the items say
  const page = fx.notificationPage();
  expect(page.unread_count).toBe(fx.notifications.filter((n) => !n.read).length);
  // bookings that cannot be changed say why
  fx.bookings.forEach((b) => {
    if (b.status === 'booked' && b.upcoming && !b.can_cancel) expect(b.blocked_reason).toBeTruthy();
    if (b.source === 'makeup') expect(b.makeup_booking_id).not.toBeNull();
  });
});

test('the checks would catch a fixture that drifted from the service', () => {
  const noCutoff = { ...fx.waitlist[1] };
  delete noCutoff.cutoff_at;
  const drifted = items([{ ...noCutoff, read: true, position: 'first' }]);
  const schemaProblems = validate(openapi, dataSchema(openapi, 'GET', '/api/v1/waitlist/my'), drifted);
  expect(schemaProblems).toEqual(expect.arrayContaining([
    '$.items[0].cutoff_at: required, missing',
    '$.items[0].read: not in the schema (the service does not send it)',
    expect.stringContaining('$.items[0].position: string'),
  ]));
  const shapeProblems = compareShapes(recorded['GET /api/v1/waitlist/my'].shape, shapeOf(drifted), '', OPEN);
  expect(shapeProblems).toEqual(expect.arrayContaining([
    'items[].read: not sent by the service',
    'items[].cutoff_at: sent by the service, missing in the fixture',
  ]));
});
