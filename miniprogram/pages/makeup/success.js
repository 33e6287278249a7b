// Makeup booked: what was booked, the ¥0 price, what happened to the minutes, what to do next.
const time = require('../../utils/time');
const format = require('../../utils/format');

/** The sentence about minutes for each completion type (M4). @param {Record<string, string>} q */
function minutesSentence(q) {
  const created = Number(q.created) || 0;
  const used = Number(q.used) || 0;
  if (q.type === 'partial') return `补课比原课程少${time.formatMinutes(created)}，已为您生成${time.formatMinutes(created)}课时补偿，14天内有效。`;
  if (q.type === 'extra' && used > 0) return `补课比原课程长，已使用${time.formatMinutes(used)}课时补偿。`;
  if (q.type === 'extra') return '补课比原课程长，多出的时间免费赠送。';
  return '补课时长与原课程相同，课时已完整补齐。';
}

Component({
  data: {
    ok: false,
    child: '',
    course: '',
    when: '',
    location: '',
    durationText: '',
    originalPrice: '',
    sentence: '',
    remainingText: '',
  },
  methods: {
    onLoad(query) {
      const q = query || {};
      if (!q.id) return;
      const decode = (/** @type {string} */ v) => decodeURIComponent(v || '');
      const remaining = Number(q.remaining) || 0;
      this.setData({
        ok: true,
        child: decode(q.child),
        course: decode(q.course),
        when: time.formatDateTime(decode(q.starts_at)),
        location: decode(q.location),
        durationText: time.formatMinutes(Number(q.minutes)),
        originalPrice: format.price(Number(q.price)),
        sentence: minutesSentence(q),
        remainingText: remaining > 0 ? `当前可用课时补偿共${time.formatMinutes(remaining)}` : '',
      });
    },
    onMyMakeups() {
      wx.redirectTo({ url: '/pages/my-bookings/makeup/index' });
    },
    onBack() {
      wx.switchTab({ url: '/pages/makeup/index' });
    },
  },
});
