// One waitlist entry: course, child, class time, status, and the one action that fits it.
// 立即确认 only for a live offer (`offer != null`); otherwise an active entry can leave the queue.
const time = require('../../utils/time');
const { isActive, hasOffer } = require('../../utils/states');
const family = require('../../utils/family');

/** "已为您预约：小明、小红" for a confirmed entry that made bookings, else ''. @param {any} entry */
function bookedLine(entry) {
  const ids = family.bookingIds(entry);
  if (entry.status !== 'confirmed' || ids.length === 0) return '';
  const kids = family.bookedChildren(entry, ids.length);
  return family.partySize(entry) > 1 ? `已为您预约：${family.names(kids)}` : '已为您预约';
}

Component({
  properties: {
    entry: { type: Object, value: {} },
  },
  data: {
    classTime: '',
    joinedText: '',
    active: false,
    offered: false,
    deadline: '',
    childrenText: '',
    tags: [],
    bookedText: '',
  },
  observers: {
    entry(entry) {
      if (!entry || !entry.waitlist_id) return;
      const offered = hasOffer(entry);
      const offer = offered ? entry.offer : null;
      this.setData({
        classTime: time.formatWhen(entry.starts_at, entry.booking_date),
        joinedText: time.formatDateTime(entry.joined_at),
        active: isActive(entry),
        offered,
        deadline: offer ? offer.grace_until || offer.deadline || '' : '',
        childrenText: family.childrenText(entry),
        tags: family.entryTags(entry),
        bookedText: bookedLine(entry),
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
