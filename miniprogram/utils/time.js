// Time helpers in the club's time zone (Asia/Shanghai, UTC+8, no DST).
// Everything is offset arithmetic on epoch milliseconds: the device's own zone is never used.
const config = require('../config');

const MINUTE = 60 * 1000;
const OFFSET_MS = config.clubUtcOffsetMinutes * MINUTE;
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** @param {number} n */
function pad(n) {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Epoch ms of an RFC 3339 instant ("2026-11-23T19:00:00+08:00"); NaN when unparseable.
 * @param {string | number | null | undefined} value
 */
function toMs(value) {
  if (typeof value === 'number') return value;
  if (!value) return NaN;
  return Date.parse(value);
}

/**
 * Wall-clock fields of an instant as seen in the club.
 * @param {string | number} value
 */
function clubParts(value) {
  const ms = toMs(value);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/** "19:00" @param {string | number} value */
function formatTime(value) {
  const p = clubParts(value);
  return p ? `${pad(p.hour)}:${pad(p.minute)}` : '';
}

/** "11月23日 周一" @param {string | number} value */
function formatDate(value) {
  const p = clubParts(value);
  return p ? `${p.month}月${p.day}日 ${WEEKDAYS[p.weekday]}` : '';
}

/** "11月23日 周一 19:00" @param {string | number} value */
function formatDateTime(value) {
  const p = clubParts(value);
  return p ? `${formatDate(value)} ${formatTime(value)}` : '';
}

/**
 * A `YYYY-MM-DD` booking date ("2026-11-23") as "11月23日 周一". Dates are club-local already.
 * @param {string} date
 */
function formatBookingDate(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  if (!m) return '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return `${Number(m[2])}月${Number(m[3])}日 ${WEEKDAYS[d.getUTCDay()]}`;
}

/**
 * When a class is: its start instant, or (the service may leave `starts_at` out) its booking date.
 * @param {string | null | undefined} startsAt @param {string} [bookingDate]
 */
function formatWhen(startsAt, bookingDate) {
  return (startsAt && formatDateTime(startsAt)) || formatBookingDate(bookingDate || '');
}

/**
 * Club-local calendar date `YYYY-MM-DD` of an instant, plus `addDays` days.
 * @param {number} ms
 * @param {number} [addDays]
 */
function clubDate(ms, addDays = 0) {
  const d = new Date(ms + OFFSET_MS + addDays * 24 * 60 * MINUTE);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * Countdown text for a remaining duration: "04:59", "1:04:59"; "00:00" when over.
 * @param {number} remainingMs
 */
function formatCountdown(remainingMs) {
  const total = Math.max(0, Math.ceil(remainingMs / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/**
 * Minutes as parents say them: "45分钟", "1小时", "1小时30分钟".
 * @param {number} minutes
 */
function formatMinutes(minutes) {
  const n = Math.abs(Math.round(minutes || 0));
  const h = Math.floor(n / 60);
  const m = n % 60;
  if (h === 0) return `${m}分钟`;
  return m === 0 ? `${h}小时` : `${h}小时${m}分钟`;
}

/**
 * "刚刚", "5分钟前", "3小时前", "2天前" relative to `now`.
 * @param {string | number} value
 * @param {number} now
 */
function formatAgo(value, now) {
  const diff = now - toMs(value);
  if (Number.isNaN(diff)) return '';
  if (diff < MINUTE) return '刚刚';
  if (diff < 60 * MINUTE) return `${Math.floor(diff / MINUTE)}分钟前`;
  if (diff < 24 * 60 * MINUTE) return `${Math.floor(diff / (60 * MINUTE))}小时前`;
  return `${Math.floor(diff / (24 * 60 * MINUTE))}天前`;
}

/**
 * Which part of the club's day an instant falls in (the API's time_of_day filter).
 * @param {string | number} value
 * @returns {'morning' | 'afternoon' | 'evening' | ''}
 */
function timeOfDay(value) {
  const p = clubParts(value);
  if (!p) return '';
  if (p.hour < 12) return 'morning';
  if (p.hour < 18) return 'afternoon';
  return 'evening';
}

module.exports = {
  toMs,
  clubParts,
  clubDate,
  formatTime,
  formatDate,
  formatDateTime,
  formatBookingDate,
  formatWhen,
  formatCountdown,
  formatMinutes,
  formatAgo,
  timeOfDay,
};
