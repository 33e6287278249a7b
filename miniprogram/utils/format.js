// Small display helpers shared by pages.

/** "¥180", "¥99.5" @param {number} yuan */
function price(yuan) {
  const n = Number(yuan) || 0;
  return `¥${Number.isInteger(n) ? n : n.toFixed(1).replace(/\.0$/, '')}`;
}

/**
 * Minutes of a makeup compared with the original class, as a hint.
 * @param {number} difference original − makeup minutes
 */
function durationHint(difference, /** @type {(m: number) => string} */ formatMinutes) {
  if (difference > 0) return `补课时长比原课程少${formatMinutes(difference)}，差额将计入课时补偿`;
  if (difference < 0) return `补课时长比原课程多${formatMinutes(-difference)}`;
  return '与原课程时长相同';
}

module.exports = { price, durationHint };
