// One candidate makeup class: when, where, how well it matches the original, seats, ¥0 price.
// A full class (`action: "waitlist"`) offers its waitlist instead of a booking.
const time = require('../../utils/time');
const format = require('../../utils/format');
const { seatsLeft } = require('../../utils/states');

/** The 匹配度 words: the server's label, else built from the match fields. @param {any} match */
function matchText(match) {
  if (!match) return '';
  if (match.label) return match.label;
  const parts = [match.same_type ? '同类型' : '', match.level_difference === 0 ? '同级别' : `低${match.level_difference}级`];
  if (match.same_coach) parts.push('同一教练');
  if (match.same_location) parts.push('同一场馆');
  return parts.filter(Boolean).join(' · ');
}

Component({
  properties: {
    session: { type: Object, value: {} },
    originalDuration: { type: Number, value: 0 },
    selected: { type: Boolean, value: false },
    busy: { type: Boolean, value: false },
  },
  data: {
    when: '',
    durationText: '',
    hint: '',
    shorter: false,
    originalPrice: '',
    makeupPrice: '',
    matchText: '',
    full: false,
    seatsText: '',
  },
  observers: {
    'session, originalDuration'(session, originalDuration) {
      if (!session || !session.course_schedule_id) return;
      const difference =
        typeof session.duration_difference === 'number'
          ? session.duration_difference
          : originalDuration - session.duration_minutes;
      const full = session.action ? session.action === 'waitlist' : !!session.is_full;
      const left = seatsLeft(session);
      this.setData({
        when: time.formatWhen(session.starts_at, session.booking_date),
        durationText: time.formatMinutes(session.duration_minutes),
        hint: session.hint || format.durationHint(difference, time.formatMinutes),
        shorter: difference > 0,
        originalPrice: format.price(session.original_price === undefined ? session.price : session.original_price),
        makeupPrice: format.price(session.makeup_price || 0),
        matchText: matchText(session.match),
        full,
        seatsText: full ? `已满员 · 候补${session.waitlist_count}/${session.waitlist_capacity}人` : `余${left}位`,
      });
    },
  },
  methods: {
    onSelect() {
      if (this.data.busy) return;
      this.triggerEvent('select', { session: this.data.session, action: this.data.full ? 'waitlist' : 'book' });
    },
  },
});
