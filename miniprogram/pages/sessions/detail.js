// Course detail for one session: the one button that fits the child's state (design §4 W1–W5).
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const format = require('../../utils/format');
const { sessionView } = require('../../utils/states');
const { showError } = require('../../utils/request');
const { requestWaitlistGrants } = require('../../utils/subscribe');
const { loadProfiles, rememberProfile } = require('../../utils/profiles');

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
    busy: false,
  },
  methods: {
    onLoad(query) {
      this.setData({ scheduleId: Number(query.course_schedule_id), date: query.booking_date || '' });
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
    body() {
      const { profileId, session } = this.data;
      return { profile_id: profileId, course_schedule_id: session.course_schedule_id, booking_date: session.booking_date };
    },
    /** Runs one action with the button in its loading state; errors are shown, then the page reloads. */
    run(work) {
      this.setData({ busy: true });
      return work()
        .catch((err) => {
          showError(err);
        })
        .then(() => this.reload())
        .then(() => this.setData({ busy: false }));
    },
    join() {
      // Ask for the subscribe messages first: WeChat allows it only inside the tap.
      const grants = requestWaitlistGrants();
      return this.run(() =>
        grants
          .then(() => api.joinWaitlist(this.body()))
          .then((data) => wx.showToast({ title: `您是第${data.position}位候补`, icon: 'none', duration: 2500 })),
      );
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
      return this.run(() => api.book(this.body()).then(() => wx.showToast({ title: '预约成功', icon: 'success' })));
    },
  },
});
