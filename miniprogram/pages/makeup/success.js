// Makeup booked: what was booked, the ¥0 price, what happened to the minutes, what to do next
// (日历同步, my makeups, 联系运营).
const time = require('../../utils/time');
const format = require('../../utils/format');
const club = require('../../utils/club');
const calendar = require('../../utils/calendar');
const { validitySentence, makeupCancelText } = require('../../utils/rules');

/** The sentence about minutes for each completion type (M4). @param {Record<string, string>} q @param {any} rules */
function minutesSentence(q, rules) {
  const created = Number(q.created) || 0;
  const used = Number(q.used) || 0;
  if (q.type === 'partial') return `补课比原课程少${time.formatMinutes(created)}，已为您生成${time.formatMinutes(created)}课时补偿，${validitySentence(rules)}。`;
  if (q.type === 'extra' && used > 0) return `补课比原课程长，已使用${time.formatMinutes(used)}课时补偿。`;
  if (q.type === 'extra') return '补课比原课程长，多出的时间免费赠送。';
  return '补课时长与原课程相同，课时已完整补齐。';
}

Component({
  data: {
    ok: false,
    id: 0,
    child: '',
    course: '',
    startsAt: '',
    minutes: 0,
    when: '',
    location: '',
    durationText: '',
    originalPrice: '',
    sentence: '',
    remainingText: '',
    cancelText: '',
    calendarAdded: false,
  },
  methods: {
    onLoad(query) {
      const q = query || {};
      if (!q.id) return;
      const decode = (/** @type {string} */ v) => decodeURIComponent(v || '');
      const courseType = decode(q.course_type);
      const remaining = Number(q.remaining) || 0;
      const show = (/** @type {any} */ c) => {
        const rules = club.rulesFor(c, courseType);
        this.setData({ sentence: minutesSentence(q, rules), cancelText: `${makeupCancelText(rules)}前可在「我的补课」取消` });
      };
      this.setData({
        ok: true,
        id: Number(q.id),
        child: decode(q.child),
        course: decode(q.course),
        startsAt: decode(q.starts_at),
        minutes: Number(q.minutes) || 0,
        when: time.formatDateTime(decode(q.starts_at)),
        location: decode(q.location),
        durationText: time.formatMinutes(Number(q.minutes)),
        originalPrice: format.price(Number(q.price)),
        remainingText: remaining > 0 ? `当前可用课时补偿共${time.formatMinutes(remaining)}` : '',
      });
      show(club.peek());
      return club.loadQuietly().then(show);
    },
    onCalendar() {
      const { course, child, startsAt, minutes, location } = this.data;
      return calendar
        .addClass({ title: `补课：${course}（${child}）`, startsAt, minutes, location, description: '体操馆补课，请提前10分钟到馆' })
        .then((added) => {
          this.setData({ calendarAdded: added });
          wx.showToast({ title: added ? '已添加到手机日历' : '未添加到日历', icon: added ? 'success' : 'none' });
        });
    },
    onDetail() {
      wx.redirectTo({ url: `/pages/my-bookings/makeup/detail?id=${this.data.id}` });
    },
    onMyMakeups() {
      wx.redirectTo({ url: '/pages/my-bookings/makeup/index' });
    },
    onBack() {
      wx.switchTab({ url: '/pages/makeup/index' });
    },
  },
});
