const { sessionView, waitlistStatusView, isActive, hasOffer } = require('../../utils/states');
const { session, waitlist, notifiedWithoutOffer, rules } = require('../fixtures');
const { ruleTexts, formatSeconds } = require('../../utils/rules');
const format = require('../../utils/format');
const time = require('../../utils/time');

describe('sessionView: the right tag and button per state', () => {
  test('full with room in the queue → 已满员 + 加入候补, 候补: X/Y人', () => {
    const v = sessionView(session({ waitlist_count: 2, waitlist_capacity: 5 }), 1);
    expect(v.tag).toBe('已满员');
    expect(v.button).toMatchObject({ text: '加入候补', action: 'join', disabled: false });
    expect(v.waitlistText).toBe('候补: 2/5人');
  });
  test('my child waitlisted → 已候补 + 取消候补 with the position', () => {
    const v = sessionView(session({ mine: [{ profile_id: 1, state: 'waitlisted', waitlist_id: 3, position: 4 }] }), 1);
    expect(v.tag).toBe('已候补');
    expect(v.button).toMatchObject({ text: '取消候补', action: 'cancelWaitlist' });
    expect(v.note).toContain('第4位候补');
  });
  test('offered → 有名额，立即预约', () => {
    const v = sessionView(session({ mine: [{ profile_id: 1, state: 'offered', waitlist_id: 3 }] }), 1);
    expect(v.button).toMatchObject({ text: '有名额，立即预约', action: 'offer' });
  });
  test('another child’s entry does not count for this child', () => {
    const v = sessionView(session({ mine: [{ profile_id: 2, state: 'waitlisted', position: 1 }] }), 1);
    expect(v.button.action).toBe('join');
  });
  test('booked, not full, cut off, queue full', () => {
    expect(sessionView(session({ mine: [{ profile_id: 1, state: 'booked' }] }), 1).button).toMatchObject({ text: '已预约', disabled: true });
    const open = sessionView(session({ is_full: false, booked: 4, capacity: 8, seats_left: 4 }), 1);
    expect(open).toMatchObject({ tag: '余4位', button: { action: 'book', text: '立即预约' } });
    const closed = sessionView(session({ waitlist_open: false }), 1);
    expect(closed.button).toMatchObject({ text: '候补已截止', disabled: true });
    expect(closed.note).toBe('开课前6小时停止候补');
    const full = sessionView(session({ waitlist_count: 8, waitlist_capacity: 8 }), 1);
    expect(full.button.disabled).toBe(true);
    expect(full.note).toBe('候补队列已满，请选择其他课程');
  });
});

test('余N位 counts seats held by open offers as taken (seats_left)', () => {
  // 6 seats, 4 booked, one held for a waitlisted parent who has not answered yet
  const v = sessionView(session({ booked: 4, capacity: 6, seats_left: 1, is_full: false }), 1);
  expect(v.tag).toBe('余1位');
  expect(v.seatsText).toBe('已约 4/6人 · 1位保留中');
  const held = sessionView(session({ booked: 5, capacity: 6, seats_left: 0, is_full: true }), 1);
  expect(held.tag).toBe('已满员');
  expect(held.button.action).toBe('join');
});

test('rule words come from the service’s rules, not fixed texts', () => {
  expect(sessionView(session({ waitlist_open: false, rules: { ...rules, cutoff_seconds: 3 * 3600 } }), 1).note).toBe('开课前3小时停止候补');
  expect(sessionView(session({ waitlist_open: false, rules: undefined }), 1).note).toBe('临近开课时停止候补');
  expect(ruleTexts(rules)).toMatchObject({ cutoff: '6小时', window: '15分钟', hold: '15分钟', grace: '2分钟', validDays: '14天', reminder: '2天', capacity: '8人' });
  expect(ruleTexts({ compensation_valid_seconds: 7 * 86400, compensation_reminder_seconds: 36 * 3600 })).toMatchObject({ validDays: '7天', reminder: '36小时' });
  expect(ruleTexts(null)).toMatchObject({ cutoff: '', validDays: '', known: false });
  expect(formatSeconds(5400)).toBe('1小时30分钟');
  expect(formatSeconds(0)).toBe('');
});

test('only offer != null is a live offer', () => {
  expect(hasOffer(waitlist[0])).toBe(true);
  expect(hasOffer(notifiedWithoutOffer)).toBe(false);
  expect(waitlistStatusView(notifiedWithoutOffer)).toMatchObject({ text: '候补中 · 第2位', type: 'primary' });
  expect(isActive(notifiedWithoutOffer)).toBe(true);
  expect(hasOffer({ ...waitlist[2], offer: waitlist[0].offer })).toBe(false);
});

test('waitlistStatusView words for each status', () => {
  expect(waitlistStatusView(waitlist[1]).text).toBe('候补中 · 第2位');
  expect(waitlistStatusView(waitlist[0]).text).toBe('有名额待确认');
  expect(waitlistStatusView(waitlist[2]).text).toBe('已预约成功');
  expect(waitlistStatusView(waitlist[3])).toMatchObject({ text: '已过期', detail: '开课前6小时候补截止' });
  expect(waitlistStatusView({ status: 'cancelled' }).text).toBe('已取消');
  expect(waitlistStatusView({ status: 'weird' }).text).toBe('未知状态');
  expect(waitlist.filter(isActive).map((e) => e.waitlist_id)).toEqual([11, 12]);
});

test('price and duration hints', () => {
  expect(format.price(180)).toBe('¥180');
  expect(format.price(99.5)).toBe('¥99.5');
  expect(format.durationHint(30, time.formatMinutes)).toBe('补课时长比原课程少30分钟，差额将计入课时补偿');
  expect(format.durationHint(-30, time.formatMinutes)).toBe('补课时长比原课程多30分钟');
  expect(format.durationHint(0, time.formatMinutes)).toBe('与原课程时长相同');
});
