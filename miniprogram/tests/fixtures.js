// Demo data shaped like the service's answers (docs/api.md + docs/parent-app-contract.md);
// used by the tests and by the screenshot script. tests/contract.test.js checks every fixture
// against the OpenAPI document and the responses recorded from the real service
// (tests/contract/), so these cannot drift from what the server sends.
// "Now" is Monday 2026-11-23 12:40 in the club (UTC+8).
const NOW = Date.parse('2026-11-23T12:40:00+08:00');
const HOUR = 3600 * 1000;

/** An instant in the club's offset, as the service writes it. @param {number} ms */
function club(ms) {
  const d = new Date(ms + 8 * HOUR);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+08:00`;
}
/** `at` minus `hours`, as an instant string. */
const before = (at, hours) => club(Date.parse(at) - hours * HOUR);

// The ★ settings in force (GET /api/v1/club rules): defaults, and VIP's smaller queue.
const rules = {
  waitlist_capacity: 8,
  cutoff_seconds: 21600,
  response_window_seconds: 900,
  hold_window_seconds: 900,
  grace_seconds: 120,
  makeup_cancel_cutoff_seconds: 21600,
  compensation_valid_days: 14,
  compensation_valid_seconds: 1209600,
  compensation_reminder_seconds: 172800,
};
const vipRules = { ...rules, waitlist_capacity: 5 };

const templates = {
  spot_available: 'tpl-spot-available',
  hold_for_you: 'tpl-hold-for-you',
  seat_taken: 'tpl-seat-taken',
  makeup_booked: 'tpl-makeup-booked',
  makeup_cancelled: 'tpl-makeup-cancelled',
  compensation_expiring: 'tpl-credit-expiring',
  seat_confirmed: 'tpl-seat-confirmed',
};

const clubProfile = {
  name: '星星体操馆',
  phone: '021-58886666',
  time_zone: 'Asia/Shanghai',
  rules: { default: rules, by_course_type: { group: rules, vip: vipRules } },
  subscribe: {
    templates,
    moments: {
      waitlist_join: [templates.spot_available, templates.hold_for_you, templates.seat_taken],
      makeup_book: [templates.makeup_cancelled, templates.compensation_expiring, templates.makeup_booked],
      waitlist_auto_join: [templates.seat_confirmed, templates.spot_available, templates.hold_for_you],
    },
  },
};

const profiles = [
  { id: 1, name: '小明', level: 3 },
  { id: 2, name: '小红', level: 2 },
];

/** A `mine` entry of a session: every field is sent, null when it does not apply. */
function mine(over) {
  return { profile_id: 1, state: 'booked', booking_id: null, waitlist_id: null, position: null, ...over };
}

function session(over) {
  const s = {
    course_schedule_id: 101,
    booking_date: '2026-11-23',
    course_id: 1,
    course_name: '少儿体操基础班',
    course_type: 'group',
    level: 2,
    duration_minutes: 60,
    price: 180,
    starts_at: '2026-11-23T19:00:00+08:00',
    coach: '王教练',
    location: '浦东馆',
    booked: 6,
    capacity: 6,
    seats_left: 0,
    is_full: true,
    waitlist_count: 3,
    waitlist_capacity: 8,
    waitlist_open: true,
    mine: [],
    rules,
    ...over,
  };
  return { ...s, cutoff_at: over && over.cutoff_at ? over.cutoff_at : before(s.starts_at, 6) };
}

const sessions = [
  session({}),
  session({
    course_schedule_id: 102, booking_date: '2026-11-24', course_id: 2, course_name: 'VIP精英班', course_type: 'vip',
    level: 4, duration_minutes: 90, price: 380, starts_at: '2026-11-24T10:00:00+08:00', coach: '李教练',
    booked: 4, capacity: 4, waitlist_count: 2, waitlist_capacity: 5, rules: vipRules,
    mine: [mine({ state: 'waitlisted', waitlist_id: 12, position: 2 })],
  }),
  // a seat was released and is held by the open offer: 5 booked of 6, none left
  session({
    course_schedule_id: 103, booking_date: '2026-11-24', course_id: 3, course_name: '亲子体操', level: 1,
    starts_at: '2026-11-24T16:00:00+08:00', booked: 5, waitlist_count: 3,
    mine: [mine({ state: 'offered', waitlist_id: 11, position: 1 })],
  }),
  session({
    course_schedule_id: 104, booking_date: '2026-11-25', course_id: 4, course_name: '少儿体操提高班', level: 3,
    duration_minutes: 120, starts_at: '2026-11-25T18:30:00+08:00', booked: 4, capacity: 8, seats_left: 4, is_full: false,
    waitlist_count: 0, location: '徐汇馆',
  }),
  session({
    course_schedule_id: 105, booking_date: '2026-11-26', course_id: 5, course_name: '周末技巧班', level: 3,
    starts_at: '2026-11-26T09:00:00+08:00', waitlist_count: 8, waitlist_capacity: 8,
  }),
];

const offer = {
  kind: 'broadcast', deadline: '2026-11-23T12:45:00+08:00', grace_until: null,
  offer_workflow_id: 'waitlist-offer/103-2026-11-24/1',
};

function entry(over) {
  const e = {
    waitlist_id: 11, profile_id: 1, profile_name: '小明', course_schedule_id: 103, booking_date: '2026-11-24',
    course_name: '亲子体操', starts_at: '2026-11-24T16:00:00+08:00', status: 'waiting', position: 1,
    waitlist_count: 3, joined_at: '2026-11-20T09:30:00+08:00', estimated_wait_time: '1-2天',
    expiration_reason: null, offer: null, rules, accept_partial: false, auto_accept: false, booking_ids: [],
    ...over,
  };
  // issue 18: a one-child entry is a party of one
  const children = (over && over.children) || [{ profile_id: e.profile_id, profile_name: e.profile_name, booking_id: e.booking_ids[0] || null }];
  return { ...e, party_size: children.length, children, cutoff_at: before(e.starts_at, 6) };
}

const waitlist = [
  entry({ status: 'notified', offer }),
  entry({
    waitlist_id: 12, course_schedule_id: 102, course_name: 'VIP精英班', starts_at: '2026-11-24T10:00:00+08:00',
    position: 2, waitlist_count: 2, joined_at: '2026-11-21T20:15:00+08:00', estimated_wait_time: '2-3天', rules: vipRules,
  }),
  entry({
    waitlist_id: 13, profile_id: 2, profile_name: '小红', course_schedule_id: 106, booking_date: '2026-11-19',
    course_name: '少儿体操基础班', starts_at: '2026-11-19T19:00:00+08:00', status: 'confirmed', position: null,
    waitlist_count: 0, joined_at: '2026-11-17T08:00:00+08:00', estimated_wait_time: null,
  }),
  entry({
    waitlist_id: 14, profile_id: 2, profile_name: '小红', course_schedule_id: 107, booking_date: '2026-11-18',
    course_name: '周末技巧班', starts_at: '2026-11-18T09:00:00+08:00', status: 'expired', position: null,
    waitlist_count: 0, joined_at: '2026-11-15T10:00:00+08:00', estimated_wait_time: null, expiration_reason: 'cutoff',
  }),
];

// Issue 18: 小明 and 小红 waiting as one family entry (one place, two of the queue's capacity).
const familyChildren = (ids = [null, null]) => [
  { profile_id: 1, profile_name: '小明', booking_id: ids[0] },
  { profile_id: 2, profile_name: '小红', booking_id: ids[1] },
];
const familyWaiting = entry({
  waitlist_id: 16, course_schedule_id: 101, booking_date: '2026-11-23', course_name: '少儿体操基础班',
  starts_at: '2026-11-23T19:00:00+08:00', position: 3, waitlist_count: 5, joined_at: '2026-11-22T21:00:00+08:00',
  estimated_wait_time: '1-2天', children: familyChildren(), accept_partial: true,
});
// auto-accepted: both seats booked at once (bookings 320, 321), the parent may still cancel them
const familyAutoBooked = entry({
  waitlist_id: 17, course_schedule_id: 104, booking_date: '2026-11-25', course_name: '少儿体操提高班',
  starts_at: '2026-11-25T18:30:00+08:00', status: 'confirmed', position: null, waitlist_count: 0,
  joined_at: '2026-11-15T08:00:00+08:00', estimated_wait_time: null, children: familyChildren([320, 321]),
  auto_accept: true, booking_ids: [320, 321],
});

// POST /api/v1/waitlist/join 201 for the family
const familyJoined = {
  waitlist_id: 16, position: 3, waitlist_count: 5, waitlist_capacity: 8, estimated_wait_time: '1-2天', party_size: 2,
  children: familyChildren(), accept_partial: true, auto_accept: false,
};

// Declined this round (or not the holder while the seat is held for someone else): still
// `notified`, but no offer — no 立即确认, only the way to leave the queue.
const notifiedWithoutOffer = entry({
  waitlist_id: 15, course_schedule_id: 101, booking_date: '2026-11-23', course_name: '少儿体操基础班',
  starts_at: '2026-11-23T19:00:00+08:00', status: 'notified', position: 2, waitlist_count: 3,
  joined_at: '2026-11-22T08:00:00+08:00', estimated_wait_time: '1-2天',
});

// GET /api/v1/waitlist/{id}/notifications, newest first
const waitlistHistory = [
  {
    id: 902, type: 'spot_available', round: 2, sent_at: '2026-11-23T12:30:05+08:00',
    deadline: '2026-11-23T12:45:00+08:00', response: null, status: 'sent',
    message: '亲子体操有名额空出，请在12:45前确认', offer_workflow_id: 'waitlist-offer/103-2026-11-24/2',
  },
  {
    id: 900, type: 'spot_available', round: 1, sent_at: '2026-11-22T18:00:00+08:00',
    deadline: '2026-11-22T18:15:00+08:00', response: 'decline', status: 'responded',
    message: '亲子体操有名额空出，请在18:15前确认', offer_workflow_id: 'waitlist-offer/103-2026-11-24/1',
  },
];

function pending(over) {
  return {
    pending_id: 21, profile_id: 1, profile_name: '小明', original_booking_id: 301, course_name: '少儿体操提高班',
    course_type: 'group', level: 3, duration_minutes: 120, price: 180, leave_date: '2026-11-20', status: 'open',
    course_schedule_id: 104, booking_date: '2026-11-20', original_starts_at: '2026-11-20T18:30:00+08:00',
    coach: '李教练', location: '徐汇馆',
    ...over,
  };
}

const pendingMakeups = [
  pending({}),
  pending({
    pending_id: 22, profile_id: 2, profile_name: '小红', original_booking_id: 302, course_name: '少儿体操基础班',
    level: 2, leave_date: '2026-11-16', status: 'booked', course_schedule_id: 101, booking_date: '2026-11-16',
    original_starts_at: '2026-11-16T19:00:00+08:00', coach: '王教练', location: '浦东馆',
  }),
];

function match(over) {
  return {
    same_type: true, level_difference: 0, duration_difference: 0, same_coach: false, same_location: false,
    label: '同类型 · 同级别 · 时长相同', ...over,
  };
}

function makeupSession(over) {
  const base = session({ is_full: false, booked: 5, capacity: 8, seats_left: 3, waitlist_count: 0 });
  return {
    ...base,
    duration_difference: 0, hint: '', original_price: 180, makeup_price: 0, action: 'book', match: match({}),
    ...over,
    cutoff_at: before((over && over.starts_at) || base.starts_at, 6),
  };
}

const availableMakeups = [
  makeupSession({
    course_schedule_id: 201, booking_date: '2026-11-25', course_name: '少儿体操基础班', duration_minutes: 90,
    starts_at: '2026-11-25T18:00:00+08:00', duration_difference: 30, hint: '补课时长比原课程少30分钟',
    match: match({ level_difference: 1, duration_difference: 30, label: '同类型 · 低1级 · 少30分钟' }),
  }),
  makeupSession({
    course_schedule_id: 202, booking_date: '2026-11-27', course_name: '少儿体操提高班', level: 3,
    duration_minutes: 120, starts_at: '2026-11-27T10:00:00+08:00', coach: '李教练', location: '徐汇馆',
    match: match({ same_coach: true, same_location: true, label: '同类型 · 同级别 · 时长相同 · 同一教练 · 同一场馆' }),
  }),
  makeupSession({
    course_schedule_id: 203, booking_date: '2026-11-28', course_name: '少儿体操启蒙班', level: 1,
    duration_minutes: 60, starts_at: '2026-11-28T15:00:00+08:00', duration_difference: 60,
    hint: '补课时长比原课程少1小时',
    match: match({ level_difference: 2, duration_difference: 60, label: '同类型 · 低2级 · 少1小时' }),
  }),
  // full: offered as a waitlist that keeps the link to the pending makeup
  makeupSession({
    course_schedule_id: 205, booking_date: '2026-11-29', course_name: '少儿体操提高班', level: 3,
    duration_minutes: 120, starts_at: '2026-11-29T10:00:00+08:00', coach: '李教练', location: '徐汇馆',
    booked: 8, capacity: 8, seats_left: 0, is_full: true, waitlist_count: 2, action: 'waitlist',
    match: match({ same_coach: true, same_location: true, label: '同类型 · 同级别 · 时长相同 · 同一教练 · 同一场馆' }),
  }),
];

const makeupBooked = {
  makeup_booking_id: 41, duration_difference: 30, completion_type: 'partial', compensation_created: 30,
  compensation_used: 0, remaining_compensation: 120,
};

function makeup(over) {
  return {
    makeup_booking_id: 41, pending_id: 22, profile_id: 2, profile_name: '小红', course_name: '少儿体操基础班', course_schedule_id: 201,
    booking_date: '2026-11-26', starts_at: '2026-11-26T18:00:00+08:00', ends_at: '2026-11-26T19:30:00+08:00',
    duration_minutes: 90, original_duration: 120, status: 'booked', completion_type: 'partial',
    cancellable_until: '2026-11-26T12:00:00+08:00', workflow_id: 'makeup-booking/41', coach: '王教练', location: '浦东馆',
    compensation_created: 30, compensation_used: 0,
    ...over,
  };
}

const myMakeups = [
  makeup({}),
  makeup({
    makeup_booking_id: 40, pending_id: 20, profile_id: 1, profile_name: '小明', course_name: '少儿体操提高班', course_schedule_id: 202,
    booking_date: '2026-11-21', starts_at: '2026-11-21T10:00:00+08:00', ends_at: '2026-11-21T12:00:00+08:00',
    duration_minutes: 120, original_duration: 120, status: 'completed', completion_type: 'full',
    cancellable_until: '2026-11-21T04:00:00+08:00', workflow_id: 'makeup-booking/40', coach: '李教练', location: '徐汇馆',
    compensation_created: 0,
  }),
  makeup({
    makeup_booking_id: 39, pending_id: 19, profile_id: 1, profile_name: '小明', course_name: '少儿体操基础班', course_schedule_id: 101,
    booking_date: '2026-11-16', starts_at: '2026-11-16T19:00:00+08:00', ends_at: '2026-11-16T20:00:00+08:00',
    duration_minutes: 60, original_duration: 60, status: 'cancelled', completion_type: 'full',
    cancellable_until: '2026-11-16T13:00:00+08:00', workflow_id: 'makeup-booking/39', compensation_created: 0,
  }),
];

// GET /api/v1/makeup/{id}
const makeupDetail = {
  ...myMakeups[0],
  original: { booking_id: 302, course_name: '少儿体操基础班', booking_date: '2026-11-16', starts_at: '2026-11-16T19:00:00+08:00' },
  credit: { credit_id: 52, minutes: 30, remaining_minutes: 30, expires_at: '2026-12-07T18:00:00+08:00', status: 'available' },
};

const compensationBalance = {
  total_minutes: 90,
  credits: [
    { id: 51, profile_id: 1, remaining_minutes: 30, expires_at: '2026-11-25T18:00:00+08:00' },
    { id: 52, profile_id: 2, remaining_minutes: 60, expires_at: '2026-12-05T18:00:00+08:00' },
  ],
};

const compensationHistory = [
  { credit_id: 52, profile_id: 2, kind: 'created', minutes: 60, at: '2026-11-21T18:00:00+08:00', makeup_booking_id: 38 },
  { credit_id: 51, profile_id: 1, kind: 'used', minutes: 30, at: '2026-11-18T10:00:00+08:00', makeup_booking_id: 37 },
  { credit_id: 51, profile_id: 1, kind: 'created', minutes: 60, at: '2026-11-11T18:00:00+08:00', makeup_booking_id: 36 },
  { credit_id: 50, profile_id: 1, kind: 'expired', minutes: 15, at: '2026-11-10T00:00:00+08:00', makeup_booking_id: null },
];

function booking(over) {
  return {
    booking_id: 301, profile_id: 1, profile_name: '小明', course_schedule_id: 104, booking_date: '2026-11-25',
    course_id: 4, course_name: '少儿体操提高班', course_type: 'group', level: 3, duration_minutes: 120,
    coach: '李教练', location: '徐汇馆', starts_at: '2026-11-25T18:30:00+08:00', ends_at: '2026-11-25T20:30:00+08:00',
    upcoming: true, status: 'booked', source: 'direct', makeup_booking_id: null, can_cancel: true, can_leave: true,
    blocked_reason: null,
    ...over,
  };
}

// GET /api/v1/bookings, soonest first
const bookings = [
  booking({
    booking_id: 310, course_schedule_id: 101, booking_date: '2026-11-16', course_id: 1, course_name: '少儿体操基础班',
    level: 2, duration_minutes: 60, coach: '王教练', location: '浦东馆', starts_at: '2026-11-16T19:00:00+08:00',
    ends_at: '2026-11-16T20:00:00+08:00', upcoming: false, status: 'attended', can_cancel: false, can_leave: false,
    blocked_reason: '课程已开始，无法取消或请假',
  }),
  booking({
    booking_id: 311, booking_date: '2026-11-20', starts_at: '2026-11-20T18:30:00+08:00', ends_at: '2026-11-20T20:30:00+08:00',
    upcoming: false, status: 'leave', can_cancel: false, can_leave: false, blocked_reason: '课程已开始，无法取消或请假',
  }),
  booking({ booking_id: 301 }),
  booking({
    booking_id: 302, profile_id: 2, profile_name: '小红', course_schedule_id: 201, booking_date: '2026-11-26',
    course_id: 6, course_name: '少儿体操基础班', level: 2, duration_minutes: 90, coach: '王教练', location: '浦东馆',
    starts_at: '2026-11-26T18:00:00+08:00', ends_at: '2026-11-26T19:30:00+08:00', source: 'makeup', makeup_booking_id: 41,
    can_cancel: false, can_leave: false, blocked_reason: '补课课程请在“我的补课”中取消',
  }),
  booking({
    booking_id: 303, profile_id: 2, profile_name: '小红', course_schedule_id: 102, booking_date: '2026-11-28',
    course_id: 2, course_name: 'VIP精英班', course_type: 'vip', level: 4, duration_minutes: 90, coach: '李教练',
    starts_at: '2026-11-28T10:00:00+08:00', ends_at: '2026-11-28T11:30:00+08:00', source: 'waitlist',
  }),
];

// what the family's auto-accept booked (GET /api/v1/bookings items)
const familyBookings = [
  booking({ booking_id: 320, source: 'waitlist' }),
  booking({ booking_id: 321, profile_id: 2, profile_name: '小红', source: 'waitlist' }),
];

/** A notification-centre item; `data.page` is the page it opens (registered in app.json). */
const notifications = [
  {
    id: 71, type: 'spot_available', title: '候补名额空出', body: '亲子体操（11月24日 16:00）有名额空出，请在12:45前确认预约。',
    data: {
      waitlist_id: 11, offer_workflow_id: 'waitlist-offer/103-2026-11-24/2', round: 2, deadline: '2026-11-23T12:45:00+08:00',
      course_schedule_id: 103, booking_date: '2026-11-24', page: 'pages/waitlist/offer?id=11',
      leave_page: 'pages/waitlist/leave?id=11',
    },
    read: false, created_at: '2026-11-23T12:30:05+08:00',
  },
  {
    id: 70, type: 'compensation_expiring', title: '课时补偿即将过期', body: '小明有30分钟课时补偿将于11月25日过期，请尽快使用。',
    data: { credit_id: 51, minutes: 30, expires_at: '2026-11-25T18:00:00+08:00', page: 'pages/makeup/compensation' },
    read: false, created_at: '2026-11-23T09:00:00+08:00',
  },
  {
    id: 69, type: 'seat_taken', title: '名额已被抢占', body: '周末技巧班的空余名额已被其他家长确认，您仍在候补队列中。',
    data: {
      waitlist_id: 12, offer_workflow_id: 'waitlist-offer/102-2026-11-24/1', round: 1, deadline: null,
      course_schedule_id: 102, booking_date: '2026-11-24', page: 'pages/waitlist/offer?id=12',
      leave_page: 'pages/waitlist/leave?id=12',
    },
    read: true, created_at: '2026-11-20T10:05:00+08:00',
  },
  {
    id: 68, type: 'waitlist_expired', title: '候补已截止', body: '周末技巧班开课前6小时候补截止，本次候补已结束。',
    data: { waitlist_id: 14, page: 'pages/waitlist/detail?id=14' },
    read: true, created_at: '2026-11-18T03:00:00+08:00',
  },
  {
    id: 67, type: 'seat_confirmed', title: '已自动为您预约',
    body: '已为您自动预约：少儿体操提高班（11月25日 18:30），如不需要请在“我的预约”中取消，名额将还给候补队列。',
    data: {
      waitlist_id: 17, offer_workflow_id: 'waitlist-offer/104-2026-11-25/1', round: 1, deadline: null, booking_ids: [320, 321],
      course_schedule_id: 104, booking_date: '2026-11-25', page: 'pages/waitlist/detail?id=17',
    },
    read: true, created_at: '2026-11-17T20:00:00+08:00',
  },
];

/** GET /api/v1/notifications page envelope. */
function notificationPage(items = notifications, over = {}) {
  return { items, page: 1, page_size: 20, total: items.length, unread_count: items.filter((n) => !n.read).length, ...over };
}

module.exports = {
  NOW, rules, vipRules, templates, clubProfile, profiles, mine, session, sessions, offer, entry, waitlist,
  notifiedWithoutOffer, waitlistHistory, pending, pendingMakeups, match, makeupSession, availableMakeups, makeupBooked,
  makeup, myMakeups, makeupDetail, compensationBalance, compensationHistory, booking, bookings, notifications,
  notificationPage, familyWaiting, familyAutoBooked, familyJoined, familyBookings,
};
