// The club's ★ settings (design §4) as words for parents. Every number a page shows comes
// from the service's `rules` (GET /api/v1/club, or `rules` on a session / waitlist entry);
// when none are known the sentence is written without a number instead of guessing one.
const time = require('./time');

const DAY = 86400;

/**
 * Seconds as parents say them: "6小时", "15分钟", "14天", "1小时30分钟".
 * @param {number | null | undefined} seconds
 */
function formatSeconds(seconds) {
  const s = Number(seconds);
  if (!Number.isFinite(s) || s <= 0) return '';
  if (s >= DAY && s % DAY === 0) return `${s / DAY}天`;
  if (s < 60) return `${Math.round(s)}秒`;
  return time.formatMinutes(Math.round(s / 60));
}

/**
 * @typedef {{cutoff: string, window: string, hold: string, grace: string, makeupCancel: string,
 *   validDays: string, reminder: string, capacity: string, known: boolean}} RuleTexts
 */

/**
 * Words for each rule. Unknown rules give '' so callers can choose a sentence without a number.
 * @param {any} rules a `Rules` object (docs/parent-app-contract.md) or null
 * @returns {RuleTexts}
 */
function ruleTexts(rules) {
  const r = rules || {};
  const days = Number(r.compensation_valid_days);
  return {
    cutoff: formatSeconds(r.cutoff_seconds),
    window: formatSeconds(r.response_window_seconds),
    hold: formatSeconds(r.hold_window_seconds),
    grace: formatSeconds(r.grace_seconds),
    makeupCancel: formatSeconds(r.makeup_cancel_cutoff_seconds),
    validDays: Number.isFinite(days) && days > 0 ? `${days}天` : formatSeconds(r.compensation_valid_seconds),
    reminder: formatSeconds(r.compensation_reminder_seconds),
    capacity: Number(r.waitlist_capacity) > 0 ? `${r.waitlist_capacity}人` : '',
    known: !!rules,
  };
}

/** "开课前6小时停止候补" / "临近开课时停止候补". @param {any} rules */
function cutoffSentence(rules) {
  const t = ruleTexts(rules).cutoff;
  return t ? `开课前${t}停止候补` : '临近开课时停止候补';
}

/** "课时补偿自生成起14天内有效" / "课时补偿有有效期". @param {any} rules */
function validitySentence(rules) {
  const t = ruleTexts(rules).validDays;
  return t ? `${t}内有效` : '有有效期，请尽快使用';
}

/** "开课前6小时" / "规定时间" (the makeup cancellation deadline). @param {any} rules */
function makeupCancelText(rules) {
  const t = ruleTexts(rules).makeupCancel;
  return t ? `开课前${t}` : '取消截止时间';
}

module.exports = { formatSeconds, ruleTexts, cutoffSentence, validitySentence, makeupCancelText };
