// What the parent sees for a session or a waitlist entry, decided in one place (design §4).
const { cutoffSentence, ruleTexts } = require('./rules');

/**
 * @typedef {{text: string, action: 'book'|'join'|'cancelWaitlist'|'offer'|'none', type: string, disabled: boolean}} ButtonView
 * @typedef {{tag: string, tagType: string, waitlistText: string, seatsText: string, button: ButtonView, note: string, mine: any}} SessionView
 */

/** @param {any} session */
function waitlistText(session) {
  return `候补: ${session.waitlist_count}/${session.waitlist_capacity}人`;
}

/**
 * Free seats: `seats_left` from the service (seats held by open offers count as taken).
 * @param {any} session
 */
function seatsLeft(session) {
  if (typeof session.seats_left === 'number') return Math.max(0, session.seats_left);
  return session.is_full ? 0 : Math.max(0, session.capacity - session.booked);
}

/**
 * @param {string} text @param {ButtonView['action']} action @param {string} type @param {boolean} [disabled]
 * @returns {ButtonView}
 */
function button(text, action, type, disabled = false) {
  return { text, action, type, disabled };
}

/**
 * The tag, the main button and the explanation for one session and one child.
 * @param {any} session a Session of GET /api/v1/sessions
 * @param {number | null} profileId the child the parent is acting for
 * @returns {SessionView}
 */
function sessionView(session, profileId) {
  const mine = (session.mine || []).find((/** @type {any} */ m) => m.profile_id === profileId) || null;
  const left = seatsLeft(session);
  const held = session.capacity - session.booked - left;
  const base = {
    waitlistText: waitlistText(session),
    seatsText: `已约 ${session.booked}/${session.capacity}人${held > 0 ? ` · ${held}位保留中` : ''}`,
    mine,
  };
  if (mine && mine.state === 'booked') {
    return { ...base, tag: '已预约', tagType: 'success', button: button('已预约', 'none', 'default', true), note: '已为孩子预约成功，请准时上课' };
  }
  if (mine && mine.state === 'offered') {
    return { ...base, tag: '有名额', tagType: 'danger', button: button('有名额，立即预约', 'offer', 'danger'), note: '有名额空出，先确认先得，请尽快确认' };
  }
  if (mine && mine.state === 'waitlisted') {
    return { ...base, tag: '已候补', tagType: 'primary', button: button('取消候补', 'cancelWaitlist', 'default'), note: `您是第${mine.position}位候补，有名额时会第一时间通知您` };
  }
  if (left > 0) {
    return { ...base, tag: `余${left}位`, tagType: 'success', button: button('立即预约', 'book', 'primary'), note: '' };
  }
  if (!session.waitlist_open) {
    return { ...base, tag: '已满员', tagType: 'default', button: button('候补已截止', 'none', 'default', true), note: cutoffSentence(session.rules) };
  }
  if (session.waitlist_count >= session.waitlist_capacity) {
    return { ...base, tag: '已满员', tagType: 'default', button: button('候补已满', 'none', 'default', true), note: '候补队列已满，请选择其他课程' };
  }
  return { ...base, tag: '已满员', tagType: 'default', button: button('加入候补', 'join', 'warning'), note: '有人取消时会通知所有候补家长，先确认者得' };
}

/** @param {any} rules */
function expirationReasons(rules) {
  const cutoff = ruleTexts(rules).cutoff;
  return {
    timeout: '未在确认时限内回复',
    cutoff: cutoff ? `开课前${cutoff}候补截止` : '候补已截止',
    declined: '已放弃名额',
    taken: '名额已被抢占',
  };
}

/**
 * A live offer for this entry. Only `offer != null` means one: a parent who declined, or who
 * is not the holder while the seat is held for someone else, stays `notified` with no offer.
 * @param {any} entry
 */
function hasOffer(entry) {
  return !!entry && (entry.status === 'waiting' || entry.status === 'notified') && !!entry.offer;
}

/**
 * Status word and colour of a waitlist entry.
 * @param {any} entry an Entry of GET /api/v1/waitlist/my
 * @returns {{text: string, type: string, detail: string}}
 */
function waitlistStatusView(entry) {
  switch (entry.status) {
    case 'waiting':
    case 'notified':
      if (hasOffer(entry)) return { text: '有名额待确认', type: 'danger', detail: '名额先到先得，请尽快确认' };
      return {
        text: entry.position ? `候补中 · 第${entry.position}位` : '候补中',
        type: 'primary',
        detail: entry.status === 'notified' ? '这次的名额已经处理，您的候补位置保留' : `共${entry.waitlist_count}人候补`,
      };
    case 'confirmed':
      return { text: '已预约成功', type: 'success', detail: '候补成功，已为您预约' };
    case 'expired':
      return { text: '已过期', type: 'default', detail: /** @type {any} */ (expirationReasons(entry.rules))[entry.expiration_reason] || '候补已结束' };
    case 'cancelled':
      return { text: '已取消', type: 'default', detail: '您已取消候补' };
    default:
      return { text: '未知状态', type: 'default', detail: '' };
  }
}

/** Entries still in play (shown first, can be cancelled). @param {any} entry */
function isActive(entry) {
  return entry.status === 'waiting' || entry.status === 'notified';
}

module.exports = { sessionView, waitlistStatusView, waitlistText, isActive, hasOffer, seatsLeft };
