// Session list: the coming week's classes with seats, waitlist size and what the parent can do.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const format = require('../../utils/format');
const { sessionView } = require('../../utils/states');
const { loadProfiles, rememberProfile, addChild } = require('../../utils/profiles');
const { showError } = require('../../utils/request');
const actions = require('../../behaviors/actions');
const badge = require('../../utils/badge');
const club = require('../../utils/club');

const DAYS_AHEAD = 7;

/** Date chips: 全部, 今天, 明天, then weekday names. @param {number} now */
function buildDays(now) {
  const days = [{ date: '', label: '全部' }];
  for (let i = 0; i < DAYS_AHEAD; i += 1) {
    const date = time.clubDate(now, i);
    const label = i === 0 ? '今天' : i === 1 ? '明天' : time.formatBookingDate(date).split(' ')[1];
    days.push({ date, label: `${label} ${Number(date.slice(5, 7))}/${Number(date.slice(8))}` });
  }
  return days;
}

Component({
  behaviors: [loadable, actions],
  data: {
    noChild: false,
    formError: '',
    days: [],
    day: '',
    profiles: [],
    profileId: 0,
    sessions: [],
    items: [],
  },
  methods: {
    onLoad() {
      this.setData({ days: buildDays(Date.now()) });
      // the club's rules and subscribe templates, ready before the first tap that needs them
      club.loadQuietly();
      this.reload();
    },
    onShow() {
      badge.refresh();
      if (this.data.state === 'ready') this.reload();
    },
    fetch() {
      const now = Date.now();
      return Promise.all([
        loadProfiles(),
        api.sessions({ date_from: time.clubDate(now), date_to: time.clubDate(now, DAYS_AHEAD - 1) }),
      ]).then(([who, data]) => {
        const sessions = (data && data.items) || [];
        // First start: no child yet → ask for one instead of showing lists that cannot be used.
        const noChild = who.profiles.length === 0;
        this.setData({ noChild, profiles: who.profiles, profileId: who.profileId, sessions });
        this.decorate();
        return noChild || sessions.length > 0;
      });
    },
    onAddChild(e) {
      const child = e.detail;
      return this.runOnce('addChild', () => {
        this.setData({ formError: '' });
        return addChild(child)
          .then(() => {
            wx.showToast({ title: `已添加${child.name}`, icon: 'success' });
            return this.reload();
          })
          .catch((err) => {
            if (err && err.status === 400) this.setData({ formError: err.message });
            else showError(err);
          });
      });
    },
    decorate() {
      const { sessions, day, profileId } = this.data;
      const items = sessions
        .filter((s) => !day || s.booking_date === day)
        .map((s) => ({
          ...s,
          key: `${s.course_schedule_id}-${s.booking_date}`,
          view: sessionView(s, profileId),
          when: `${time.formatBookingDate(s.booking_date)} ${time.formatTime(s.starts_at)}`,
          durationText: time.formatMinutes(s.duration_minutes),
          priceText: format.price(s.price),
        }));
      this.setData({ items });
    },
    onDay(e) {
      this.setData({ day: e.currentTarget.dataset.date });
      this.decorate();
    },
    onProfile(e) {
      rememberProfile(e.detail.id);
      this.setData({ profileId: e.detail.id });
      this.decorate();
    },
    onOpen(e) {
      const { id, date } = e.currentTarget.dataset;
      wx.navigateTo({ url: `/pages/sessions/detail?course_schedule_id=${id}&booking_date=${date}` });
    },
  },
});
