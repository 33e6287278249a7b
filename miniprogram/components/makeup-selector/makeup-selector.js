// One candidate makeup class: when, where, how long compared with the original, ¥0 price.
const time = require('../../utils/time');
const format = require('../../utils/format');

Component({
  properties: {
    session: { type: Object, value: {} },
    originalDuration: { type: Number, value: 0 },
    selected: { type: Boolean, value: false },
  },
  data: {
    when: '',
    durationText: '',
    hint: '',
    shorter: false,
    originalPrice: '',
    makeupPrice: '',
  },
  observers: {
    'session, originalDuration'(session, originalDuration) {
      if (!session || !session.course_schedule_id) return;
      const difference =
        typeof session.duration_difference === 'number'
          ? session.duration_difference
          : originalDuration - session.duration_minutes;
      this.setData({
        when: time.formatDateTime(session.starts_at),
        durationText: time.formatMinutes(session.duration_minutes),
        hint: session.hint || format.durationHint(difference, time.formatMinutes),
        shorter: difference > 0,
        originalPrice: format.price(session.original_price === undefined ? session.price : session.original_price),
        makeupPrice: format.price(session.makeup_price || 0),
      });
    },
  },
  methods: {
    onSelect() {
      this.triggerEvent('select', { session: this.data.session });
    },
  },
});
