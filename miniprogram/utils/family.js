// Issue 18: several children of one parent waiting as one entry, and entries that book by
// themselves (auto_accept). Words and request fields for the join flow and the waitlist pages.

/** The server refuses more siblings than this (400 40000). */
const MAX_SIBLINGS = 5;

/**
 * The new join fields, only those that are set: a one-child join with the switches off adds
 * nothing (the request stays what it was before families existed).
 * @param {{siblingIds?: number[], acceptPartial?: boolean, autoAccept?: boolean}} choice
 */
function joinExtras(choice) {
  /** @type {Record<string, any>} */
  const out = {};
  const siblings = choice.siblingIds || [];
  if (siblings.length > 0) out.sibling_ids = siblings.slice();
  if (siblings.length > 0 && choice.acceptPartial) out.accept_partial = true;
  if (choice.autoAccept) out.auto_accept = true;
  return out;
}

/** Children in the entry (1 for an entry from before families). @param {any} entry */
function partySize(entry) {
  return (entry && entry.party_size) || 1;
}

/** The entry's children, first one first; an older entry has only its profile. @param {any} entry */
function childrenOf(entry) {
  if (entry && Array.isArray(entry.children) && entry.children.length > 0) return entry.children;
  return entry ? [{ profile_id: entry.profile_id, profile_name: entry.profile_name, booking_id: entry.booking_id || null }] : [];
}

/** @param {any[]} children */
function names(children) {
  return children.map((c) => c.profile_name).join('、');
}

/** "小明" or "小明、小红（2人）". @param {any} entry */
function childrenText(entry) {
  const kids = childrenOf(entry);
  return kids.length > 1 ? `${names(kids)}（${kids.length}人）` : names(kids);
}

/** The tags an entry carries: 自动预约, 可部分预约 (only a family can be partly booked). @param {any} entry */
function entryTags(entry) {
  const tags = [];
  if (entry && entry.auto_accept) tags.push({ text: '自动预约', type: 'primary' });
  if (entry && entry.accept_partial && partySize(entry) > 1) tags.push({ text: '可部分预约', type: 'warning' });
  return tags;
}

/** The bookings this entry made (`booking_ids`; an older answer has at most `booking_id`). @param {any} entry */
function bookingIds(entry) {
  if (!entry) return [];
  if (Array.isArray(entry.booking_ids)) return entry.booking_ids;
  return entry.booking_id ? [entry.booking_id] : [];
}

/** The children booked from this entry (a child's `booking_id`), else the first `count` in order. @param {any} entry @param {number} count */
function bookedChildren(entry, count) {
  const kids = childrenOf(entry);
  const marked = kids.filter((c) => c.booking_id);
  return marked.length > 0 ? marked : kids.slice(0, count);
}

/** The toast after a join. @param {any} joined the 201 `data` */
function joinedText(joined) {
  const size = partySize(joined);
  return size > 1 ? `已为${size}个孩子候补，您是第${joined.position}位` : `您是第${joined.position}位候补`;
}

/**
 * What a won seat booked, for the offer page: everyone, or which children when there were fewer seats.
 * @param {any} entry @param {number[]} ids the bookings made (`booking_ids` of the confirm)
 * @param {string} course @param {string} when
 */
function wonText(entry, ids, course, when) {
  const kids = childrenOf(entry);
  const count = ids.length || kids.length;
  if (kids.length <= 1 || count >= kids.length) return `已为${childrenText(entry)}预约「${course}」（${when}），请准时上课。`;
  const booked = bookedChildren(entry, count);
  const rest = kids.filter((c) => booked.indexOf(c) < 0);
  return `名额只空出${count}个，已为${names(booked)}预约「${course}」（${when}）；${names(rest)}继续候补，保留原来的排位。`;
}

/** The question before leaving the queue; a family leaves it together. @param {any} entry */
function leaveQuestion(entry) {
  const who = partySize(entry) > 1 ? `${childrenText(entry)}的` : '';
  return `确定取消${who}候补吗？取消后如需候补要重新排队。`;
}

module.exports = { MAX_SIBLINGS, joinExtras, partySize, childrenOf, childrenText, entryTags, bookingIds, bookedChildren, joinedText, wonText, leaveQuestion, names };
