// One waitlist entry: course, child, class time, status, and the one action that fits it.
const time = require('../../utils/time');
const { isActive } = require('../../utils/states');

Component({
  properties: {
    entry: { type: Object, value: {} },
  },
  data: {
    classTime: '',
    joinedText: '',
    active: false,
    notified: false,
    deadline: '',
  },
  observers: {
    entry(entry) {
      if (!entry || !entry.waitlist_id) return;
      const offer = entry.offer || null;
      this.setData({
        classTime: time.formatDateTime(entry.starts_at),
        joinedText: time.formatDateTime(entry.joined_at),
        active: isActive(entry),
        notified: entry.status === 'notified',
        deadline: offer ? offer.grace_until || offer.deadline : '',
      });
    },
  },
  methods: {
    onOpen() {
      this.triggerEvent('open', { id: this.data.entry.waitlist_id });
    },
    onRespond() {
      this.triggerEvent('respond', { id: this.data.entry.waitlist_id });
    },
    onCancel() {
      this.triggerEvent('cancel', { id: this.data.entry.waitlist_id });
    },
  },
});
