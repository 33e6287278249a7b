// Makeup selection: candidate classes for one pending makeup, with filters (M2), booking (M3)
// and, for a full class, its waitlist (the won seat is booked as this makeup).
const loadable = require('../../behaviors/loadable');
const actions = require('../../behaviors/actions');
const api = require('../../utils/api');
const time = require('../../utils/time');
const format = require('../../utils/format');
const club = require('../../utils/club');
const { validitySentence } = require('../../utils/rules');
const { showError, isNetworkError } = require('../../utils/request');
const { requestWaitlistGrants, requestMakeupGrants } = require('../../utils/subscribe');

const RANGES = [
  { value: 7, label: '未来7天' },
  { value: 14, label: '未来14天' },
];
const TIMES = [
  { value: '', label: '全部时段' },
  { value: 'morning', label: '上午' },
  { value: 'afternoon', label: '下午' },
  { value: 'evening', label: '晚上' },
];

/** Distinct non-empty values of one field. @param {any[]} items @param {string} field */
function distinct(items, field) {
  const seen = [];
  items.forEach((s) => {
    if (s[field] && seen.indexOf(s[field]) < 0) seen.push(s[field]);
  });
  return seen;
}

Component({
  behaviors: [loadable, actions],
  data: {
    pendingId: 0,
    pending: null,
    originalText: '',
    originalWhen: '',
    ranges: RANGES,
    times: TIMES,
    locations: [],
    coaches: [],
    filters: { range: 7, time_of_day: '', location: '', coach: '' },
    items: [],
    listState: 'loading',
    busy: false,
    balanceMinutes: 0,
    balanceText: '',
    useCompensation: false,
    hasLonger: false,
    validityText: '',
  },
  methods: {
    onLoad(query) {
      this.setData({ pendingId: Number(query.pending_id) });
      club.loadQuietly();
      this.reload();
    },
    fetch() {
      const balance = api.compensationBalance().catch(() => null);
      return Promise.all([api.pendingMakeups(), balance, club.loadQuietly()]).then(([data, bal, c]) => {
        const pending = ((data && data.items) || []).find((p) => p.pending_id === this.data.pendingId);
        if (!pending || pending.status !== 'open') return false;
        const minutes = (bal && bal.total_minutes) || 0;
        this.setData({
          balanceMinutes: minutes,
          balanceText: time.formatMinutes(minutes),
          pending,
          originalText: `${pending.course_name} · L${pending.level} · ${time.formatMinutes(pending.duration_minutes)} · 原价${format.price(pending.price)}`,
          originalWhen: pending.original_starts_at ? `请假的课：${time.formatDateTime(pending.original_starts_at)}` : '',
          validityText: validitySentence(club.rulesFor(c, pending.course_type)),
        });
        return this.loadAvailable().then(() => true);
      });
    },
    loadAvailable() {
      const { filters, pendingId } = this.data;
      const now = Date.now();
      this.setData({ listState: 'loading' });
      return api
        .availableMakeups({
          pending_id: pendingId,
          date_from: time.clubDate(now),
          date_to: time.clubDate(now, filters.range - 1),
          time_of_day: filters.time_of_day,
          location: filters.location,
          coach: filters.coach,
        })
        .then((data) => {
          const items = ((data && data.items) || []).map((s) => ({ ...s, key: `${s.course_schedule_id}-${s.booking_date}` }));
          /** @type {Record<string, any>} */
          const update = {
            items,
            listState: items.length ? 'ready' : 'empty',
            hasLonger: items.some((s) => s.duration_difference < 0 && s.action !== 'waitlist'),
          };
          // Location and coach choices come from the unfiltered list, so they never vanish.
          if (!filters.location && !filters.coach) {
            update.locations = distinct(items, 'location');
            update.coaches = distinct(items, 'coach');
          }
          this.setData(update);
        })
        .catch((err) => {
          this.setData({ listState: 'error' });
          showError(err);
        });
    },
    onFilter(e) {
      const { key, value } = e.currentTarget.dataset;
      const current = /** @type {any} */ (this.data.filters)[key];
      const next = key === 'range' ? Number(value) : current === value ? '' : value;
      this.setData({ filters: { ...this.data.filters, [key]: next } });
      this.loadAvailable();
    },
    onToggleCompensation() {
      this.setData({ useCompensation: !this.data.useCompensation });
    },
    /** The tap on a candidate. Subscribe messages are asked here, inside the tap, before any request. */
    onSelect(e) {
      if (this.data.busy || this.isPending('select')) return;
      const { session, action } = e.detail;
      if (action === 'waitlist') {
        const grants = requestWaitlistGrants();
        this.runOnce('select', () => grants.then(() => this.joinWaitlist(session)));
        return;
      }
      const grants = requestMakeupGrants();
      this.runOnce('select', () => grants.then(() => this.book(session, false)));
    },
    /** @param {any} session @param {boolean} acceptShorter */
    book(session, acceptShorter) {
      const { pending } = this.data;
      /** @type {Record<string, any>} */
      const body = { pending_id: pending.pending_id, course_schedule_id: session.course_schedule_id, booking_date: session.booking_date };
      if (acceptShorter) body.accept_shorter = true;
      // A longer class gives the extra minutes for free unless the parent chose to pay them from credits (M4).
      if (this.data.useCompensation && session.duration_difference < 0) body.use_compensation = true;
      this.setData({ busy: true });
      wx.showLoading({ title: '预约中', mask: true });
      return api
        .bookMakeup(body)
        .then((result) => {
          wx.hideLoading();
          this.goSuccess(session, result);
        })
        .catch((err) => {
          wx.hideLoading();
          this.setData({ busy: false });
          if (err.code === 40908) return this.askShorter(session, err.message);
          if (err.code === 40906) return this.offerWaitlist(session, err.message);
          if (isNetworkError(err)) return this.checkBooked(err);
          showError(err);
          return this.loadAvailable();
        })
        .then(() => this.setData({ busy: false }));
    },
    /**
     * The answer to a booking was lost: the request may or may not have reached the server.
     * Never book again blindly — look whether this pending makeup is booked now.
     * @param {any} err
     */
    checkBooked(err) {
      return api
        .pendingMakeups()
        .then((data) => {
          const pending = ((data && data.items) || []).find((p) => p.pending_id === this.data.pendingId);
          if (!pending || pending.status === 'open') {
            showError(err);
            return undefined;
          }
          return api.myMakeups('booked').then((mine) => {
            const made = ((mine && mine.items) || []).find((m) => m.pending_id === this.data.pendingId);
            wx.showToast({ title: '补课已预约成功', icon: 'success' });
            wx.redirectTo({ url: made ? `/pages/my-bookings/makeup/detail?id=${made.makeup_booking_id}` : '/pages/my-bookings/makeup/index' });
          });
        })
        .catch(() => showError(err));
    },
    /**
     * A dialog whose answer continues the action that opened it (so the one-at-a-time guard
     * covers the follow-up too). `onConfirm` runs inside WeChat's callback: it may ask for
     * subscribe messages.
     * @param {any} options wx.showModal options @param {() => any} onConfirm @param {() => any} [onCancel]
     */
    ask(options, onConfirm, onCancel) {
      return new Promise((resolve) => {
        wx.showModal({
          ...options,
          success: (res) => resolve(res.confirm ? onConfirm() : onCancel && onCancel()),
          fail: () => resolve(undefined),
        });
      });
    },
    /** The server's sentence 本课程仅{X}，比您原课程少{Y}，是否确认预约？ decides the wording. */
    askShorter(session, message) {
      return this.ask({ title: '补课时长较短', content: message, confirmText: '确认预约', cancelText: '再看看' }, () => this.book(session, true));
    },
    /** A class that filled up between the list and the tap (409 40906). */
    offerWaitlist(session, message) {
      return this.ask(
        { title: '课程已满员', content: message || '课程已满员，是否加入候补', confirmText: '加入候补', cancelText: '换一节' },
        () => {
          const grants = requestWaitlistGrants();
          return grants.then(() => this.joinWaitlist(session));
        },
        () => this.loadAvailable(),
      );
    },
    /**
     * Waits for a full class as this makeup: a won seat is booked as the makeup (M3). The server
     * asks the shorter-class question here too (409 40908): the answer travels with the entry.
     * @param {any} session @param {boolean} [acceptShorter]
     */
    joinWaitlist(session, acceptShorter) {
      const { pending } = this.data;
      /** @type {Record<string, any>} */
      const body = {
        profile_id: pending.profile_id,
        course_schedule_id: session.course_schedule_id,
        booking_date: session.booking_date,
        pending_id: pending.pending_id,
      };
      if (acceptShorter) body.accept_shorter = true;
      if (this.data.useCompensation && session.duration_difference < 0) body.use_compensation = true;
      this.setData({ busy: true });
      return api
        .joinWaitlist(body)
        .then((data) => {
          wx.showToast({ title: `您是第${data.position}位候补`, icon: 'none', duration: 2500 });
          this.setData({ busy: false });
          return this.loadAvailable();
        })
        .catch((err) => {
          this.setData({ busy: false });
          if (err.code === 40908) {
            return this.ask(
              { title: '补课时长较短', content: err.message, confirmText: '确认候补', cancelText: '再看看' },
              () => this.joinWaitlist(session, true),
            );
          }
          showError(err);
          return undefined;
        });
    },
    goSuccess(session, result) {
      const { pending } = this.data;
      const q = {
        id: result.makeup_booking_id,
        course: session.course_name,
        child: pending.profile_name,
        starts_at: session.starts_at,
        location: session.location,
        minutes: session.duration_minutes,
        original: pending.duration_minutes,
        price: session.original_price === undefined ? pending.price : session.original_price,
        course_type: pending.course_type,
        type: result.completion_type,
        created: result.compensation_created || 0,
        used: result.compensation_used || 0,
        remaining: result.remaining_compensation || 0,
      };
      const query = Object.keys(q)
        .map((k) => `${k}=${encodeURIComponent(String(/** @type {any} */ (q)[k]))}`)
        .join('&');
      wx.redirectTo({ url: `/pages/makeup/success?${query}` });
    },
  },
});
