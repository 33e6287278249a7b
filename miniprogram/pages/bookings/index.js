// 我的课程: every booking of every child, upcoming and past, with 请假 and 取消预约 (each with a
// dialog that says what happens). A leave opens a 待补课 and goes straight to choosing a makeup.
const loadable = require('../../behaviors/loadable');
const actions = require('../../behaviors/actions');
const api = require('../../utils/api');
const time = require('../../utils/time');
const club = require('../../utils/club');
const { ruleTexts } = require('../../utils/rules');
const { loadProfiles } = require('../../utils/profiles');
const { showError, isNetworkError } = require('../../utils/request');

const STATUS = {
  booked: { text: '已预约', type: 'primary' },
  leave: { text: '已请假', type: 'warning' },
  cancelled: { text: '已取消', type: 'default' },
  attended: { text: '已上课', type: 'success' },
  no_show: { text: '缺课', type: 'danger' },
};
const SOURCE = { makeup: '补课', waitlist: '候补成功' };

/** @param {any} b an item of GET /api/v1/bookings @param {number} now */
function decorate(b, now) {
  const status = /** @type {any} */ (STATUS)[b.status] || { text: b.status, type: 'default' };
  const upcoming = typeof b.upcoming === 'boolean' ? b.upcoming : time.toMs(b.starts_at) > now;
  const open = b.status === 'booked' && upcoming;
  return {
    ...b,
    upcoming,
    statusText: status.text,
    statusType: status.type,
    sourceText: /** @type {any} */ (SOURCE)[b.source] || '',
    when: time.formatWhen(b.starts_at, b.booking_date),
    durationText: b.duration_minutes ? time.formatMinutes(b.duration_minutes) : '',
    canLeave: open && b.can_leave !== false,
    canCancel: open && b.can_cancel !== false,
    blocked: open && b.can_leave === false && b.can_cancel === false ? b.blocked_reason || '这节课不能取消或请假' : '',
    isMakeup: b.source === 'makeup',
  };
}

/**
 * What happens to the seat, in the dialog: before the waitlist cutoff it goes to the waitlist.
 * @param {any} b @param {any} rules
 */
function seatSentence(b, rules) {
  const t = ruleTexts(rules);
  const cutoffMs = rules && rules.cutoff_seconds ? time.toMs(b.starts_at) - rules.cutoff_seconds * 1000 : NaN;
  if (!Number.isNaN(cutoffMs) && Date.now() >= cutoffMs) return `离开课已不到${t.cutoff}，名额不再通知候补的家长。`;
  return '名额会让给候补的家长（有人候补时会马上通知他们）。';
}

Component({
  behaviors: [loadable, actions],
  data: {
    tab: 'upcoming',
    profiles: [],
    child: 0,
    all: [],
    upcoming: [],
    past: [],
  },
  methods: {
    onLoad(query) {
      if (query && query.tab === 'past') this.setData({ tab: 'past' });
      club.loadQuietly();
      this.reload();
    },
    onShow() {
      if (this.data.state === 'ready' || this.data.state === 'empty') this.reload();
    },
    fetch() {
      return Promise.all([api.myBookings(), loadProfiles()]).then(([data, who]) => {
        const now = Date.now();
        const all = ((data && data.items) || []).map((b) => decorate(b, now));
        this.setData({ all, profiles: who.profiles });
        this.split();
        return all.length > 0;
      });
    },
    /** Upcoming soonest first, past most recent first, for the chosen child (0 = all). */
    split() {
      const { all, child } = this.data;
      const mine = all.filter((b) => !child || b.profile_id === child);
      const byStart = (/** @type {any} */ a, /** @type {any} */ b) => time.toMs(a.starts_at) - time.toMs(b.starts_at);
      this.setData({
        upcoming: mine.filter((b) => b.upcoming).sort(byStart),
        past: mine.filter((b) => !b.upcoming).sort((a, b) => byStart(b, a)),
      });
    },
    onTab(e) {
      this.setData({ tab: e.currentTarget.dataset.tab });
    },
    onChild(e) {
      this.setData({ child: Number(e.currentTarget.dataset.id) || 0 });
      this.split();
    },
    /** @param {number} id */
    find(id) {
      return this.data.all.find((b) => b.booking_id === id);
    },
    onLeave(e) {
      const b = this.find(Number(e.currentTarget.dataset.id));
      if (!b || this.isPending(`booking${b.booking_id}`)) return;
      const rules = club.rulesFor(club.peek(), b.course_type);
      wx.showModal({
        title: '请假',
        content: `${b.profile_name}请假「${b.course_name}」（${b.when}）。${seatSentence(b, rules)}请假后会生成一条待补课，可以免费（¥0）另约一节同类型、同级或更低级别的课。确定请假吗？`,
        confirmText: '确定请假',
        cancelText: '再想想',
        success: (res) => {
          if (res.confirm) this.runOnce(`booking${b.booking_id}`, () => this.leave(b));
        },
      });
    },
    onCancel(e) {
      const b = this.find(Number(e.currentTarget.dataset.id));
      if (!b || this.isPending(`booking${b.booking_id}`)) return;
      const rules = club.rulesFor(club.peek(), b.course_type);
      wx.showModal({
        title: '取消预约',
        content: `取消${b.profile_name}的「${b.course_name}」（${b.when}）。${seatSentence(b, rules)}取消不会生成待补课，如果只是这次来不了，请选「请假」。确定取消吗？`,
        confirmText: '取消预约',
        cancelText: '再想想',
        success: (res) => {
          if (res.confirm) this.runOnce(`booking${b.booking_id}`, () => this.cancel(b));
        },
      });
    },
    /** @param {any} b */
    leave(b) {
      return api
        .leaveBooking(b.booking_id)
        .then((data) => this.afterLeave(data && data.pending_makeup_id))
        .catch((err) => {
          if (!isNetworkError(err)) {
            showError(err);
            return this.reload();
          }
          // The answer was lost: look whether the leave happened before doing anything else.
          return this.reload().then(() => {
            const now = this.find(b.booking_id);
            if (!now || now.status !== 'leave') {
              showError(err);
              return undefined;
            }
            return api.pendingMakeups().then((p) => {
              const pending = ((p && p.items) || []).find((x) => x.original_booking_id === b.booking_id && x.status === 'open');
              return this.afterLeave(pending && pending.pending_id);
            });
          });
        });
    },
    /** A leave went through: straight on to choosing the makeup. @param {number} [pendingId] */
    afterLeave(pendingId) {
      wx.showToast({ title: '已请假，请选择补课', icon: 'none' });
      if (pendingId) wx.navigateTo({ url: `/pages/makeup/select?pending_id=${pendingId}` });
      else wx.switchTab({ url: '/pages/makeup/index' });
      return this.reload();
    },
    /** @param {any} b */
    cancel(b) {
      return api
        .cancelBooking(b.booking_id)
        .then(() => {
          wx.showToast({ title: '已取消预约', icon: 'success' });
          return this.reload();
        })
        .catch((err) =>
          this.reload().then(() => {
            // a lost answer may still have cancelled it: the reloaded list tells
            const now = this.find(b.booking_id);
            if (isNetworkError(err) && now && now.status === 'cancelled') wx.showToast({ title: '已取消预约', icon: 'success' });
            else showError(err);
          }),
        );
    },
    onMakeup(e) {
      const id = e.currentTarget.dataset.id;
      wx.navigateTo({ url: id ? `/pages/my-bookings/makeup/detail?id=${id}` : '/pages/my-bookings/makeup/index' });
    },
    onSessions() {
      wx.switchTab({ url: '/pages/sessions/index' });
    },
  },
});
