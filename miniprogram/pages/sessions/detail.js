// Course detail for one session: the one button that fits the child's state (design §4 W1–W5).
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const format = require('../../utils/format');
const { sessionView } = require('../../utils/states');
const { showError, isNetworkError } = require('../../utils/request');
const { requestWaitlistGrants } = require('../../utils/subscribe');
const { loadProfiles, rememberProfile } = require('../../utils/profiles');
const { cutoffSentence } = require('../../utils/rules');
const club = require('../../utils/club');

/**
 * A1: an alternative the server offered with a refused join, as a one-tap choice.
 * @param {any} a
 */
function alternativeView(a) {
  return {
    ...a,
    key: `${a.course_schedule_id}-${a.booking_date}`,
    when: time.formatDateTime(a.starts_at),
    where: `${a.coach} · ${a.location}`,
    actionText: a.action === 'book' ? `剩${a.seats_left}个名额 · 立即预约` : `候补${a.waitlist_count}/${a.waitlist_capacity}人 · 加入候补`,
  };
}

Component({
  behaviors: [loadable],
  data: {
    scheduleId: 0,
    date: '',
    profiles: [],
    profileId: 0,
    session: null,
    view: null,
    when: '',
    durationText: '',
    priceText: '',
    cutoffText: '',
    busy: false,
    alternatives: [],
  },
  methods: {
    onLoad(query) {
      this.setData({ scheduleId: Number(query.course_schedule_id), date: query.booking_date || '' });
      // subscribe templates must be known before the tap that joins the waitlist
      club.loadQuietly();
      this.reload();
    },
    onShow() {
      if (this.data.state === 'ready') this.reload();
    },
    fetch() {
      const { scheduleId, date } = this.data;
      return Promise.all([loadProfiles(), api.sessions({ date_from: date, date_to: date })]).then(([who, data]) => {
        const items = (data && data.items) || [];
        const session = items.find((s) => s.course_schedule_id === scheduleId && s.booking_date === date) || null;
        this.setData({ profiles: who.profiles, profileId: who.profileId, session });
        if (!session) return false;
        this.setData({
          when: time.formatDateTime(session.starts_at),
          durationText: time.formatMinutes(session.duration_minutes),
          priceText: format.price(session.price),
          cutoffText: cutoffSentence(session.rules || club.rulesFor(club.peek(), session.course_type)),
        });
        this.decorate();
        return true;
      });
    },
    decorate() {
      if (this.data.session) this.setData({ view: sessionView(this.data.session, this.data.profileId) });
    },
    onProfile(e) {
      rememberProfile(e.detail.id);
      this.setData({ profileId: e.detail.id });
      this.decorate();
    },
    onAction() {
      const view = this.data.view;
      if (!view || view.button.disabled || this.data.busy) return;
      if (view.button.action === 'join') this.join();
      else if (view.button.action === 'cancelWaitlist') this.cancelWaitlist(view.mine.waitlist_id);
      else if (view.button.action === 'offer') wx.navigateTo({ url: `/pages/waitlist/offer?id=${view.mine.waitlist_id}` });
      else if (view.button.action === 'book') this.book();
    },
    onHelp() {
      wx.navigateTo({ url: '/pages/help/index' });
    },
    body() {
      const { profileId, session } = this.data;
      return { profile_id: profileId, course_schedule_id: session.course_schedule_id, booking_date: session.booking_date };
    },
    /**
     * Runs one action with the button in its loading state (taps while it runs are ignored);
     * errors are shown, then the page reloads to the server's state.
     * @param {() => Promise<any>} work
     * @param {(view: any) => boolean} [landed] after a network failure: did the action happen anyway?
     * @param {string} [landedText] what to tell the parent then
     */
    run(work, landed, landedText) {
      this.setData({ busy: true });
      let lost = false;
      return work()
        .catch((err) => {
          lost = isNetworkError(err);
          if (!lost || !landed) showError(err);
        })
        .then(() => this.reload())
        .then(() => {
          if (lost && landed) {
            // The answer was lost, not necessarily the request: the reloaded state tells which.
            if (this.data.view && landed(this.data.view)) wx.showToast({ title: landedText || '已完成', icon: 'success' });
            else showError({ message: '网络不给力，请检查网络后重试' });
          }
          this.setData({ busy: false });
        });
    },
    join() {
      // Ask for the subscribe messages first: WeChat allows it only inside the tap.
      const grants = requestWaitlistGrants();
      return this.run(() =>
        grants
          .then(() => api.joinWaitlist(this.body()))
          .then((data) => {
            this.setData({ alternatives: [] });
            wx.showToast({ title: `您是第${data.position}位候补`, icon: 'none', duration: 2500 });
          })
          .catch((err) => {
            this.offerAlternatives(err);
            throw err;
          }),
        (view) => !!view.mine && view.mine.state === 'waitlisted',
        '已加入候补',
      );
    },
    /** A1: a queue full or past its cutoff is never a dead end. @param {any} err */
    offerAlternatives(err) {
      const list = (err && err.data && err.data.alternatives) || [];
      this.setData({ alternatives: list.map(alternativeView) });
    },
    /** One tap on an alternative books its seat or joins its queue, then opens it. */
    onAlternative(e) {
      const a = this.data.alternatives[Number(e.currentTarget.dataset.index)];
      if (!a || this.data.busy) return Promise.resolve();
      const body = { profile_id: this.data.profileId, course_schedule_id: a.course_schedule_id, booking_date: a.booking_date };
      // subscribe messages can only be asked for inside the tap
      const act = a.action === 'book' ? api.book(body) : requestWaitlistGrants().then(() => api.joinWaitlist(body));
      this.setData({ busy: true });
      return act
        .then((data) => {
          wx.showToast({ title: a.action === 'book' ? '预约成功' : `您是第${data.position}位候补`, icon: a.action === 'book' ? 'success' : 'none' });
          wx.redirectTo({ url: `/pages/sessions/detail?course_schedule_id=${a.course_schedule_id}&booking_date=${a.booking_date}` });
        })
        .catch(showError)
        .then(() => this.setData({ busy: false }));
    },
    cancelWaitlist(waitlistId) {
      wx.showModal({
        title: '取消候补',
        content: '确定取消候补吗？取消后如需候补要重新排队。',
        confirmText: '取消候补',
        cancelText: '再想想',
        success: (res) => {
          if (!res.confirm) return;
          this.run(() => api.leaveWaitlist(waitlistId).then(() => wx.showToast({ title: '已取消候补', icon: 'success' })));
        },
      });
    },
    book() {
      return this.run(
        () => api.book(this.body()).then(() => wx.showToast({ title: '预约成功', icon: 'success' })),
        (view) => !!view.mine && view.mine.state === 'booked',
        '预约成功',
      );
    },
  },
});
