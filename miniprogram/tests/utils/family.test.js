const family = require('../../utils/family');
const { strictJoin, ok } = require('../helpers/wx-mock');
const fx = require('../fixtures');

test('a one-child join with the switches off adds no field; the others only when set', () => {
  expect(family.joinExtras({ siblingIds: [], acceptPartial: false, autoAccept: false })).toEqual({});
  // accept_partial means nothing without siblings: not sent
  expect(family.joinExtras({ siblingIds: [], acceptPartial: true })).toEqual({});
  expect(family.joinExtras({ siblingIds: [2], acceptPartial: true })).toEqual({ sibling_ids: [2], accept_partial: true });
  expect(family.joinExtras({ siblingIds: [3, 2] })).toEqual({ sibling_ids: [3, 2] });
  expect(family.joinExtras({ autoAccept: true })).toEqual({ auto_accept: true });
});

test('children, tags and bookings of an entry (and of an entry from before families)', () => {
  expect(family.childrenText(fx.familyWaiting)).toBe('小明、小红（2人）');
  expect(family.childrenText(fx.waitlist[1])).toBe('小明');
  const old = { waitlist_id: 1, profile_id: 1, profile_name: '小明', status: 'confirmed', booking_id: 9 };
  expect(family.childrenText(old)).toBe('小明');
  expect(family.partySize(old)).toBe(1);
  expect(family.bookingIds(old)).toEqual([9]);
  expect(family.bookingIds(fx.familyAutoBooked)).toEqual([320, 321]);
  expect(family.bookingIds(fx.waitlist[0])).toEqual([]);
  expect(family.entryTags(fx.familyWaiting)).toEqual([{ text: '可部分预约', type: 'warning' }]);
  expect(family.entryTags(fx.familyAutoBooked)).toEqual([{ text: '自动预约', type: 'primary' }]);
  // a single child cannot be partly booked
  expect(family.entryTags(fx.entry({ accept_partial: true }))).toEqual([]);
});

test('the join toast and the won sentence', () => {
  expect(family.joinedText(fx.familyJoined)).toBe('已为2个孩子候补，您是第3位');
  expect(family.joinedText({ waitlist_id: 1, position: 4, waitlist_count: 4, waitlist_capacity: 8, estimated_wait_time: '' })).toBe('您是第4位候补');
  expect(family.wonText(fx.familyWaiting, [501, 502], '少儿体操基础班', '11月23日 周一 19:00'))
    .toBe('已为小明、小红（2人）预约「少儿体操基础班」（11月23日 周一 19:00），请准时上课。');
  // fewer seats: the children with a booking_id, else the first ones in order
  const partly = fx.entry({ ...fx.familyWaiting, children: [{ ...fx.familyWaiting.children[0] }, { ...fx.familyWaiting.children[1], booking_id: 501 }] });
  expect(family.wonText(partly, [501], '课', '时间')).toBe('名额只空出1个，已为小红预约「课」（时间）；小明继续候补，保留原来的排位。');
  expect(family.wonText(fx.familyWaiting, [501], '课', '时间')).toBe('名额只空出1个，已为小明预约「课」（时间）；小红继续候补，保留原来的排位。');
  expect(family.wonText(fx.waitlist[0], [], '亲子体操', 't')).toBe('已为小明预约「亲子体操」（t），请准时上课。');
});

test('the fake join route refuses what the service refuses (400 40000, data.field)', () => {
  const route = strictJoin(ok(fx.familyJoined, 201));
  const base = { profile_id: 1, course_schedule_id: 101, booking_date: '2026-11-23' };
  const answer = (data) => route({ method: 'POST', path: '/api/v1/waitlist/join', data });
  const refused = (data) => {
    const res = answer(data);
    return res.statusCode === 400 && res.data.code === 40000 ? res.data.data.field : null;
  };
  expect(answer(base).statusCode).toBe(201);
  expect(answer({ ...base, sibling_ids: [2, 3, 4, 5, 6], accept_partial: true, auto_accept: true }).statusCode).toBe(201);
  expect(refused({ ...base, sibling_ids: [2, 3, 4, 5, 6, 7] })).toBe('sibling_ids');
  expect(refused({ ...base, sibling_ids: [2, 1] })).toBe('sibling_ids');
  expect(refused({ ...base, sibling_ids: [2, 2] })).toBe('sibling_ids');
  expect(refused({ ...base, sibling_ids: ['2'] })).toBe('sibling_ids');
  expect(refused({ ...base, pending_id: 21, sibling_ids: [2] })).toBe('sibling_ids');
  expect(refused({ ...base, pending_id: 21, auto_accept: true })).toBe('auto_accept');
  expect(answer({ ...base, pending_id: 21, accept_shorter: true }).statusCode).toBe(201);
});

test('leaving the queue: a family is asked about all its children', () => {
  expect(family.leaveQuestion(fx.familyWaiting)).toBe('确定取消小明、小红（2人）的候补吗？取消后如需候补要重新排队。');
  expect(family.leaveQuestion(fx.waitlist[1])).toBe('确定取消候补吗？取消后如需候补要重新排队。');
  expect(family.leaveQuestion(undefined)).toBe('确定取消候补吗？取消后如需候补要重新排队。');
});
