// How a makeup booking reads to a parent: status word, durations, the cancel deadline.
const time = require('./time');
const { makeupCancelText } = require('./rules');

const STATUS = {
  booked: { text: '已预约', type: 'primary' },
  completed: { text: '已上课', type: 'success' },
  cancelled: { text: '已取消', type: 'default' },
  no_show: { text: '缺课', type: 'danger' },
};
const COMPLETION = { full: '时长相同', partial: '时长较短，差额已计入补偿', extra: '时长较长' };

/** The filter chips of 我的补课 (GET /api/v1/makeup/my?status=). */
const FILTERS = [
  { value: '', label: '全部' },
  { value: 'booked', label: '已预约' },
  { value: 'completed', label: '已上课' },
  { value: 'cancelled', label: '已取消' },
  { value: 'no_show', label: '缺课' },
];

/**
 * @param {any} m an item of GET /api/v1/makeup/my (or GET /api/v1/makeup/{id})
 * @param {number} now
 * @param {any} rules the club's rules for the course (for the cancel deadline words)
 */
function decorate(m, now, rules) {
  const status = /** @type {any} */ (STATUS)[m.status] || { text: m.status, type: 'default' };
  const open = m.status === 'booked';
  const deadline = m.cancellable_until ? time.toMs(m.cancellable_until) : NaN;
  // No deadline given: let the server decide (it answers 409 with the reason when too late).
  const cancellable = open && (Number.isNaN(deadline) || deadline > now);
  let cancelNote = '';
  if (open && cancellable && !Number.isNaN(deadline)) cancelNote = `${time.formatDateTime(m.cancellable_until)}前可取消`;
  else if (open && !cancellable) cancelNote = `已过取消时限（${makeupCancelText(rules)}）`;
  return {
    ...m,
    statusText: status.text,
    statusType: status.type,
    when: time.formatWhen(m.starts_at, m.booking_date),
    durationText: `${time.formatMinutes(m.duration_minutes)}（原课程${time.formatMinutes(m.original_duration)}）`,
    completionText: /** @type {any} */ (COMPLETION)[m.completion_type] || '',
    cancellable,
    cancelNote,
  };
}

/** The toast after a cancel. @param {any} data the answer of DELETE /api/v1/makeup/{id}/cancel */
function cancelledText(data) {
  const restored = (data && data.restored_minutes) || 0;
  return restored > 0 ? `已取消，退回${time.formatMinutes(restored)}补偿` : '已取消补课';
}

const CANCEL_CONFIRM = '确定取消这节补课吗？取消后名额会让给候补的家长，这条待补课会重新打开，可以另选时间；本次使用的课时补偿会退回。';

module.exports = { STATUS, FILTERS, decorate, cancelledText, CANCEL_CONFIRM };
