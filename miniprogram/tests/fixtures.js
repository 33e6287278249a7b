// Demo data shaped like docs/api.md; used by the tests and by the screenshot script.
// "Now" is Monday 2026-11-23 12:40 in the club (UTC+8).
const NOW = Date.parse('2026-11-23T12:40:00+08:00');

const profiles = [
  { id: 1, name: '小明', level: 3 },
  { id: 2, name: '小红', level: 2 },
];

function session(over) {
  return {
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
    is_full: true,
    waitlist_count: 3,
    waitlist_capacity: 8,
    waitlist_open: true,
    mine: [],
    ...over,
  };
}

const sessions = [
  session({}),
  session({
    course_schedule_id: 102, booking_date: '2026-11-24', course_id: 2, course_name: 'VIP精英班', course_type: 'vip',
    level: 4, duration_minutes: 90, price: 380, starts_at: '2026-11-24T10:00:00+08:00', coach: '李教练',
    booked: 4, capacity: 4, waitlist_count: 2, waitlist_capacity: 5,
    mine: [{ profile_id: 1, state: 'waitlisted', waitlist_id: 12, position: 2 }],
  }),
  session({
    course_schedule_id: 103, booking_date: '2026-11-24', course_id: 3, course_name: '亲子体操', level: 1,
    starts_at: '2026-11-24T16:00:00+08:00', waitlist_count: 3,
    mine: [{ profile_id: 1, state: 'offered', waitlist_id: 11, position: 1 }],
  }),
  session({
    course_schedule_id: 104, booking_date: '2026-11-25', course_id: 4, course_name: '少儿体操提高班', level: 3,
    duration_minutes: 120, starts_at: '2026-11-25T18:30:00+08:00', booked: 4, capacity: 8, is_full: false,
    waitlist_count: 0, location: '徐汇馆',
  }),
  session({
    course_schedule_id: 105, booking_date: '2026-11-26', course_id: 5, course_name: '周末技巧班', level: 3,
    starts_at: '2026-11-26T09:00:00+08:00', waitlist_count: 8, waitlist_capacity: 8,
  }),
];

const offer = { kind: 'broadcast', deadline: '2026-11-23T12:45:00+08:00', grace_until: null };

const waitlist = [
  {
    waitlist_id: 11, profile_id: 1, profile_name: '小明', course_schedule_id: 103, booking_date: '2026-11-24',
    course_name: '亲子体操', starts_at: '2026-11-24T16:00:00+08:00', status: 'notified', position: 1,
    waitlist_count: 3, joined_at: '2026-11-20T09:30:00+08:00', estimated_wait_time: '1-2天',
    expiration_reason: null, offer,
  },
  {
    waitlist_id: 12, profile_id: 1, profile_name: '小明', course_schedule_id: 102, booking_date: '2026-11-24',
    course_name: 'VIP精英班', starts_at: '2026-11-24T10:00:00+08:00', status: 'waiting', position: 2,
    waitlist_count: 2, joined_at: '2026-11-21T20:15:00+08:00', estimated_wait_time: '2-3天',
    expiration_reason: null, offer: null,
  },
  {
    waitlist_id: 13, profile_id: 2, profile_name: '小红', course_schedule_id: 106, booking_date: '2026-11-19',
    course_name: '少儿体操基础班', starts_at: '2026-11-19T19:00:00+08:00', status: 'confirmed', position: null,
    waitlist_count: 0, joined_at: '2026-11-17T08:00:00+08:00', estimated_wait_time: null,
    expiration_reason: null, offer: null,
  },
  {
    waitlist_id: 14, profile_id: 2, profile_name: '小红', course_schedule_id: 107, booking_date: '2026-11-18',
    course_name: '周末技巧班', starts_at: '2026-11-18T09:00:00+08:00', status: 'expired', position: null,
    waitlist_count: 0, joined_at: '2026-11-15T10:00:00+08:00', estimated_wait_time: null,
    expiration_reason: 'cutoff', offer: null,
  },
];

const waitlistHistory = [
  {
    id: 901, type: 'spot_available', round: 1, sent_at: '2026-11-23T12:30:05+08:00',
    deadline: '2026-11-23T12:45:00+08:00', response: null, status: 'sent',
    message: '亲子体操有名额空出，请在12:45前确认',
  },
  {
    id: 900, type: 'position_changed', round: 0, sent_at: '2026-11-22T18:00:00+08:00',
    deadline: null, response: null, status: 'sent', message: '前面有家长取消了候补，您的位置已更新为第2位',
  },
];

const pendingMakeups = [
  {
    pending_id: 21, profile_id: 1, profile_name: '小明', original_booking_id: 301, course_name: '少儿体操提高班',
    course_type: 'group', level: 3, duration_minutes: 120, price: 180, leave_date: '2026-11-20', status: 'open',
  },
  {
    pending_id: 22, profile_id: 2, profile_name: '小红', original_booking_id: 302, course_name: '少儿体操基础班',
    course_type: 'group', level: 2, duration_minutes: 120, price: 180, leave_date: '2026-11-16', status: 'booked',
  },
];

function makeupSession(over) {
  return {
    ...session({ is_full: false, booked: 5, capacity: 8, waitlist_count: 0 }),
    duration_difference: 0, hint: '', original_price: 180, makeup_price: 0, ...over,
  };
}

const availableMakeups = [
  makeupSession({
    course_schedule_id: 201, booking_date: '2026-11-25', course_name: '少儿体操基础班', duration_minutes: 90,
    starts_at: '2026-11-25T18:00:00+08:00', duration_difference: 30, hint: '补课时长比原课程少30分钟',
  }),
  makeupSession({
    course_schedule_id: 202, booking_date: '2026-11-27', course_name: '少儿体操提高班', level: 3,
    duration_minutes: 120, starts_at: '2026-11-27T10:00:00+08:00', coach: '李教练', location: '徐汇馆',
  }),
  makeupSession({
    course_schedule_id: 203, booking_date: '2026-11-28', course_name: '少儿体操启蒙班', level: 1,
    duration_minutes: 60, starts_at: '2026-11-28T15:00:00+08:00', duration_difference: 60,
    hint: '补课时长比原课程少1小时',
  }),
];

const makeupBooked = {
  makeup_booking_id: 41, duration_difference: 30, completion_type: 'partial', compensation_created: 30,
  compensation_used: 0, remaining_compensation: 120,
};

const myMakeups = [
  {
    makeup_booking_id: 41, pending_id: 22, profile_id: 2, course_name: '少儿体操基础班', booking_date: '2026-11-26',
    starts_at: '2026-11-26T18:00:00+08:00', duration_minutes: 90, original_duration: 120, status: 'booked',
    completion_type: 'partial', cancellable_until: '2026-11-26T12:00:00+08:00',
  },
  {
    makeup_booking_id: 40, pending_id: 20, profile_id: 1, course_name: '少儿体操提高班', booking_date: '2026-11-21',
    starts_at: '2026-11-21T10:00:00+08:00', duration_minutes: 120, original_duration: 120, status: 'attended',
    completion_type: 'full', cancellable_until: '2026-11-21T04:00:00+08:00',
  },
  {
    makeup_booking_id: 39, pending_id: 19, profile_id: 1, course_name: '少儿体操基础班', booking_date: '2026-11-14',
    starts_at: '2026-11-14T18:00:00+08:00', duration_minutes: 60, original_duration: 60, status: 'cancelled',
    completion_type: 'full', cancellable_until: '2026-11-14T12:00:00+08:00',
  },
];

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
  { credit_id: 50, profile_id: 1, kind: 'expired', minutes: 15, at: '2026-11-10T00:00:00+08:00' },
];

const notifications = [
  {
    id: 71, type: 'spot_available', title: '候补名额空出', body: '亲子体操（11月24日 16:00）有名额空出，请在12:45前确认预约。',
    data: { waitlist_id: 11, deadline: '2026-11-23T12:45:00+08:00' }, read: false, created_at: '2026-11-23T12:30:05+08:00',
  },
  {
    id: 70, type: 'compensation_expiring', title: '课时补偿即将过期', body: '小明有30分钟课时补偿将于11月25日过期，请尽快使用。',
    data: { credit_id: 51 }, read: false, created_at: '2026-11-23T09:00:00+08:00',
  },
  {
    id: 69, type: 'makeup_booked', title: '补课预约成功', body: '小红已预约11月26日 18:00 少儿体操基础班补课。',
    data: { makeup_booking_id: 41 }, read: true, created_at: '2026-11-21T18:00:00+08:00',
  },
  {
    id: 68, type: 'seat_taken', title: '名额已被抢占', body: '周末技巧班的空余名额已被其他家长确认，您仍在候补队列中。',
    data: { waitlist_id: 12 }, read: true, created_at: '2026-11-20T10:05:00+08:00',
  },
];

module.exports = {
  NOW, profiles, session, sessions, offer, waitlist, waitlistHistory, pendingMakeups, makeupSession,
  availableMakeups, makeupBooked, myMakeups, compensationBalance, compensationHistory, notifications,
};
