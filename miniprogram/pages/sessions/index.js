// Session list: the coming week's classes with seats, waitlist size and what the parent can do.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const format = require('../../utils/format');
const { sessionView } = require('../../utils/states');
const { loadProfiles, rememberProfile } = require('../../utils/profiles');

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
  behaviors: [loadable],
  data: {
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
      this.reload();
    },
    onShow() {
      if (this.data.state === 'ready') this.reload();
    },
    fetch() {
      const now = Date.now();
      return Promise.all([
        loadProfiles(),
        api.sessions({ date_from: time.clubDate(now), date_to: time.clubDate(now, DAYS_AHEAD - 1) }),
      ]).then(([who, data]) => {
        const sessions = (data && data.items) || [];
        this.setData({ profiles: who.profiles, profileId: who.profileId, sessions });
        this.decorate();
        return sessions.length > 0;
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
