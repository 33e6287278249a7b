const { sessionView, waitlistStatusView, isActive } = require('../../utils/states');
const { session, waitlist } = require('../fixtures');
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
    const open = sessionView(session({ is_full: false, booked: 4, capacity: 8 }), 1);
    expect(open).toMatchObject({ tag: '余4位', button: { action: 'book', text: '立即预约' } });
    expect(sessionView(session({ waitlist_open: false }), 1).button).toMatchObject({ text: '候补已截止', disabled: true });
    const full = sessionView(session({ waitlist_count: 8, waitlist_capacity: 8 }), 1);
    expect(full.button.disabled).toBe(true);
    expect(full.note).toBe('候补队列已满，请选择其他课程');
  });
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
