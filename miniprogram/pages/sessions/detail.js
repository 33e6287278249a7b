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
const family = require('../../utils/family');

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

/**
 * Issue 18: the other children who can wait together with the chosen one (not already booked
 * or waiting for this session), each marked when picked.
 * @param {any[]} profiles @param {number} profileId @param {any} session @param {number[]} picked
 */
function siblingChoices(profiles, profileId, session, picked) {
  const busy = (session.mine || []).map((/** @type {any} */ m) => m.profile_id);
  return profiles
    .filter((p) => p.id !== profileId && busy.indexOf(p.id) < 0)
    .map((p) => ({ id: p.id, name: p.name, on: picked.indexOf(p.id) >= 0 }));
}

/**
 * The line under the picked children: one place in the queue, and whether the queue still has room.
 * @param {string[]} kids names, the chosen child first @param {any} session
 */
function familyNote(kids, session) {
  const room = session.waitlist_capacity - session.waitlist_count;
  const base = `${kids.join('、')}一起候补，只占1个排队位置（候补人数按${kids.length}人计）`;
  return room < kids.length ? `${base}；候补队列只剩${Math.max(0, room)}个位置，可能无法一起候补` : base;
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
    // issue 18: join options (only for 加入候补)
    siblings: [],
    siblingIds: [],
    familyText: '',
    orderText: '',
    familyButton: '',
    acceptPartial: false,
    autoAccept: false,
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
      if (!this.data.session) return;
      this.setData({ view: sessionView(this.data.session, this.data.profileId) });
      this.decorateFamily();
    },
    /** The sibling chips and the words that depend on who is picked. */
    decorateFamily() {
      const { profiles, profileId, session } = this.data;
      const choices = siblingChoices(profiles, profileId, session, this.data.siblingIds);
      const siblingIds = this.data.siblingIds.filter((id) => choices.some((c) => c.id === id));
      const byId = (/** @type {number} */ id) => (profiles.find((p) => p.id === id) || { name: '' }).name;
      const kids = [byId(profileId)].concat(siblingIds.map(byId));
      this.setData({
        siblings: choices,
        siblingIds,
        familyText: siblingIds.length > 0 ? familyNote(kids, session) : '',
        orderText: kids.join('、'),
        familyButton: `为${kids.length}个孩子加入候补`,
      });
    },
    onProfile(e) {
      rememberProfile(e.detail.id);
      this.setData({ profileId: e.detail.id });
      this.decorate();
    },
    /** Picks or unpicks a child to wait together with the chosen one (in tap order). */
    onSibling(e) {
      const id = Number(e.currentTarget.dataset.id);
      const picked = this.data.siblingIds;
      if (picked.indexOf(id) < 0 && picked.length >= family.MAX_SIBLINGS) {
        wx.showToast({ title: `最多同时为${family.MAX_SIBLINGS + 1}个孩子候补`, icon: 'none' });
        return;
      }
      const siblingIds = picked.indexOf(id) >= 0 ? picked.filter((x) => x !== id) : picked.concat([id]);
      this.setData({ siblingIds, acceptPartial: siblingIds.length > 0 && this.data.acceptPartial });
      this.decorateFamily();
    },
    onTogglePartial() {
      this.setData({ acceptPartial: !this.data.acceptPartial });
    },
    onToggleAuto() {
      this.setData({ autoAccept: !this.data.autoAccept });
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
    /** The join request: the booking fields, plus the family / auto-accept fields that are set. */
    joinBody() {
      const { siblingIds, acceptPartial, autoAccept } = this.data;
      return { ...this.body(), ...family.joinExtras({ siblingIds, acceptPartial, autoAccept }) };
    },
    resetJoinOptions() {
      this.setData({ siblingIds: [], acceptPartial: false, autoAccept: false });
      this.decorateFamily();
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
      const grants = requestWaitlistGrants(this.data.autoAccept);
      return this.run(() =>
        grants
          .then(() => api.joinWaitlist(this.joinBody()))
          .then((data) => {
            this.setData({ alternatives: [] });
            this.resetJoinOptions();
            wx.showToast({ title: family.joinedText(data), icon: 'none', duration: 2500 });
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
      // the same family and switches wait for the other class (a free seat is booked for the chosen child)
      const { siblingIds, acceptPartial, autoAccept } = this.data;
      const joinBody = { ...body, ...family.joinExtras({ siblingIds, acceptPartial, autoAccept }) };
      // subscribe messages can only be asked for inside the tap
      const act = a.action === 'book' ? api.book(body) : requestWaitlistGrants(autoAccept).then(() => api.joinWaitlist(joinBody));
      this.setData({ busy: true });
      return act
        .then((data) => {
          wx.showToast({ title: a.action === 'book' ? '预约成功' : family.joinedText(data), icon: a.action === 'book' ? 'success' : 'none' });
          wx.redirectTo({ url: `/pages/sessions/detail?course_schedule_id=${a.course_schedule_id}&booking_date=${a.booking_date}` });
        })
        .catch(showError)
        .then(() => this.setData({ busy: false }));
    },
    /** The children of one entry as this session lists them (a family shares its waitlist_id). @param {number} waitlistId */
    entryOf(waitlistId) {
      const mine = (this.data.session.mine || []).filter((/** @type {any} */ m) => m.waitlist_id === waitlistId);
      const name = (/** @type {number} */ id) => (this.data.profiles.find((p) => p.id === id) || { name: '' }).name;
      const children = mine.map((/** @type {any} */ m) => ({ profile_id: m.profile_id, profile_name: name(m.profile_id) }));
      return { party_size: children.length, children };
    },
    cancelWaitlist(waitlistId) {
      wx.showModal({
        title: '取消候补',
        content: family.leaveQuestion(this.entryOf(waitlistId)),
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
