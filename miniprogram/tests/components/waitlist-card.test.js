const { installWx } = require('../helpers/wx-mock');
const { mount, text, allText, tap } = require('../helpers/mount');
const { waitlist, notifiedWithoutOffer, NOW } = require('../fixtures');

beforeEach(() => {
  installWx();
  jest.useFakeTimers({ now: NOW });
});
afterEach(() => jest.useRealTimers());

const card = (entry) => mount('components/waitlist-card/waitlist-card', { entry });

test('a waiting entry shows course, child, club time, position and estimated wait', () => {
  const comp = card(waitlist[1]);
  expect(text(comp, '.course')).toBe('VIP精英班');
  expect(text(comp, '.child')).toBe('小明');
  expect(allText(comp)).toContain('上课时间：11月24日 周二 10:00');
  expect(allText(comp)).toContain('候补中 · 第2位');
  expect(allText(comp)).toContain('预计等待：2-3天');
  expect(comp.querySelector('.btn-cancel')).toBeDefined();
  expect(comp.querySelector('.btn-respond')).toBeUndefined();
});

test('an entry with an offer shows the countdown, 立即确认 and still 取消候补', () => {
  const comp = card(waitlist[0]);
  expect(allText(comp)).toContain('有名额待确认');
  expect(allText(comp)).toContain('有名额空出，先确认先得！');
  expect(allText(comp)).toContain('剩余确认时间05:00');
  expect(comp.querySelector('.btn-respond')).toBeDefined();
  expect(comp.querySelector('.btn-cancel')).toBeDefined();
});

test('notified without an offer (declined, or someone else holds the seat): no 立即确认, keeps 取消候补', () => {
  const comp = card(notifiedWithoutOffer);
  expect(comp.querySelector('.btn-respond')).toBeUndefined();
  expect(comp.querySelector('.btn-cancel')).toBeDefined();
  expect(comp.querySelector('.offer')).toBeUndefined();
  expect(allText(comp)).toContain('候补中 · 第2位');
  expect(allText(comp)).not.toContain('有名额');
});

test('no starts_at from the service: the booking date stands in', () => {
  const comp = card({ ...waitlist[1], starts_at: null });
  expect(allText(comp)).toContain('上课时间：11月24日 周二');
});

test('a grace period replaces the deadline in the countdown', () => {
  const entry = { ...waitlist[0], offer: { kind: 'broadcast', deadline: '2026-11-23T12:41:00+08:00', grace_until: '2026-11-23T12:42:00+08:00' } };
  expect(allText(card(entry))).toContain('02:00');
});

test('finished entries have no action button', () => {
  const comp = card(waitlist[3]);
  expect(allText(comp)).toContain('已过期');
  expect(comp.querySelector('.actions')).toBeUndefined();
});

test('taps emit open, respond and cancel with the entry id', async () => {
  const comp = card(waitlist[0]);
  const events = [];
  ['open', 'respond', 'cancel'].forEach((n) => comp.addEventListener(n, (e) => events.push([n, e.detail.id])));
  await tap(comp, '.card');
  await tap(comp, '.btn-respond');
  expect(events).toEqual([['open', 11], ['respond', 11]]);
  const waiting = card(waitlist[1]);
  const cancel = jest.fn();
  waiting.addEventListener('cancel', cancel);
  await tap(waiting, '.btn-cancel');
  expect(cancel.mock.calls[0][0].detail).toEqual({ id: 12 });
});

describe('issue 18', () => {
  const fx = require('../fixtures');

  test('a family card names the children and carries its tags', () => {
    const comp = card(fx.familyWaiting);
    expect(text(comp, '.child')).toBe('小明、小红（2人）');
    expect(text(comp, '.tags')).toBe('可部分预约');
    expect(comp.querySelector('.booked')).toBeFalsy();
  });

  test('a confirmed auto-accepted family says it was booked, and for whom', () => {
    const comp = card(fx.familyAutoBooked);
    expect(text(comp, '.tags')).toBe('自动预约');
    expect(text(comp, '.booked')).toBe('已为您预约：小明、小红');
    expect(allText(comp)).not.toContain('候补成功，已为您预约');
    // a one-child entry that won keeps its words
    expect(text(card(fx.entry({ ...fx.waitlist[2], booking_ids: [303] })), '.booked')).toBe('已为您预约');
  });
});
