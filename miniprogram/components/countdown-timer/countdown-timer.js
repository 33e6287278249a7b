// Counts down to an RFC 3339 deadline once a second (`tick` event with the ms left);
// fires `expire` once when it reaches zero.
const time = require('../../utils/time');

/** Interval handles per component instance (kept out of `data`, which is for rendering). */
const timers = new WeakMap();

Component({
  properties: {
    deadline: { type: String, value: '' },
    label: { type: String, value: '剩余时间' },
  },
  data: {
    text: '',
    expired: false,
    urgent: false,
  },
  observers: {
    deadline() {
      this.start();
    },
  },
  lifetimes: {
    attached() {
      this.start();
    },
    detached() {
      this.stop();
    },
  },
  methods: {
    start() {
      this.stop();
      if (!this.data.deadline) {
        this.setData({ text: '', expired: false, urgent: false });
        return;
      }
      if (this.tick()) timers.set(this, setInterval(() => this.tick(), 1000));
    },
    stop() {
      const handle = timers.get(this);
      if (handle) clearInterval(handle);
      timers.delete(this);
    },
    /** Renders the remaining time; returns false once the deadline has passed. */
    tick() {
      const remaining = time.toMs(this.data.deadline) - Date.now();
      if (!(remaining > 0)) {
        const already = this.data.expired;
        this.setData({ text: '00:00', expired: true, urgent: false });
        this.stop();
        if (!already) this.triggerEvent('expire', { deadline: this.data.deadline });
        return false;
      }
      this.setData({ text: time.formatCountdown(remaining), expired: false, urgent: remaining <= 60 * 1000 });
      this.triggerEvent('tick', { remaining });
      return true;
    },
  },
});
