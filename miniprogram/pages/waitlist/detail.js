// One waitlist entry: live position, joined time, estimated wait, progress and notification history.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const { isActive, hasOffer } = require('../../utils/states');
const { showError } = require('../../utils/request');
const { typeInfo } = require('../../utils/notice-types');
const family = require('../../utils/family');

const RESPONSES = { confirm: '已确认', begin: '已开始预约', decline: '已放弃' };

/** Progress steps and the active index for an entry. @param {any} entry */
function progress(entry) {
  const last = entry.auto_accept ? [{ text: '名额空出' }, { text: '自动预约' }] : [{ text: '有名额通知' }, { text: '确认预约' }];
  const steps = [{ text: '加入候补' }, { text: '等待名额' }].concat(last);
  if (entry.status === 'confirmed') return { steps, active: 3 };
  if (hasOffer(entry)) return { steps, active: 2 };
  return { steps, active: isActive(entry) ? 1 : 0 };
}

/**
 * What an entry booked (confirmed, or a family booked in part, F4), and which of its bookings can still be cancelled here
 * (only an auto-accepted entry offers 取消预约; GET /api/v1/bookings says what is still booked).
 * @param {any} entry @param {any[] | null} bookings null when they could not be loaded
 */
function bookedView(entry, bookings) {
  const ids = family.bookingIds(entry);
  // a family booked in part is still waiting for the rest (F4): its bookings show all the same
  if (ids.length === 0) return { booked: null, cancelIds: [] };
  const kids = family.childrenOf(entry);
  const done = family.bookedChildren(entry, ids.length);
  const missed = kids.filter((c) => done.indexOf(c) < 0);
  const mine = (bookings || []).filter((b) => ids.indexOf(b.booking_id) >= 0);
  const live = mine.filter((b) => b.status === 'booked');
  const gone = bookings !== null && mine.length > 0 && live.length === 0;
  const cancelIds = entry.auto_accept ? live.filter((b) => b.can_cancel).map((b) => b.booking_id) : [];
  const blocked = entry.auto_accept && live.length > 0 && cancelIds.length === 0 ? live[0].blocked_reason || '' : '';
  return {
    booked: {
      kids: `${family.names(done)}${done.length > 1 ? `（${done.length}人）` : ''}`,
      missed: missed.length > 0 ? `${family.names(missed)}继续候补，保留原来的排位` : '',
      gone,
      blocked,
    },
    cancelIds,
  };
}

Component({
  behaviors: [loadable],
  data: {
    id: 0,
    entry: null,
    active: false,
    offered: false,
    classTime: '',
    joinedText: '',
    steps: [],
    stepActive: 0,
    history: [],
    busy: false,
    childrenText: '',
    tags: [],
    booked: null,
    cancelIds: [],
  },
  methods: {
    onLoad(query) {
      this.setData({ id: Number(query.id) });
      this.reload();
    },
    fetch() {
      const id = this.data.id;
      return api.myWaitlist().then((data) => {
        const entry = ((data && data.items) || []).find((e) => e.waitlist_id === id);
        if (!entry) return false;
        const live = isActive(entry) ? api.waitlistPosition(id).catch(() => null) : Promise.resolve(null);
        const history = api.waitlistHistory(id).catch(() => ({ items: [] }));
        return Promise.all([live, history, this.loadBookings(entry)]).then(([pos, hist, bookings]) => {
          const merged = pos ? { ...entry, position: pos.position, waitlist_count: pos.waitlist_count, status: pos.status } : entry;
          const p = progress(merged);
          // newest first, whatever order the list came in
          const items = ((hist && hist.items) || []).slice().sort((a, b) => time.toMs(b.sent_at) - time.toMs(a.sent_at) || b.id - a.id);
          this.setData({
            entry: merged,
            active: isActive(merged),
            offered: hasOffer(merged),
            classTime: time.formatWhen(merged.starts_at, merged.booking_date),
            joinedText: time.formatDateTime(merged.joined_at),
            steps: p.steps,
            stepActive: p.active,
            childrenText: family.childrenText(merged),
            tags: family.entryTags(merged),
            ...bookedView(merged, bookings),
            history: items.map((n) => ({
              ...n,
              label: typeInfo(n.type).label,
              sentText: time.formatDateTime(n.sent_at),
              deadlineText: n.deadline ? time.formatTime(n.deadline) : '',
              responseText: /** @type {any} */ (RESPONSES)[n.response] || '',
            })),
          });
          return true;
        });
      });
    },
    /** The parent's bookings, only needed to offer 取消预约 (null when they could not be loaded). @param {any} entry */
    loadBookings(entry) {
      if (family.bookingIds(entry).length === 0) return Promise.resolve(null);
      return api
        .myBookings()
        .then((data) => (data && data.items) || [])
        .catch(() => null);
    },
    onRespond() {
      wx.navigateTo({ url: `/pages/waitlist/offer?id=${this.data.id}` });
    },
    onCancel() {
      if (this.data.busy) return;
      wx.showModal({
        title: '取消候补',
        content: family.leaveQuestion(this.data.entry),
        confirmText: '取消候补',
        cancelText: '再想想',
        success: (res) => {
          if (!res.confirm) return;
          this.setData({ busy: true });
          api
            .leaveWaitlist(this.data.id)
            .then(() => {
              wx.showToast({ title: '已取消候补', icon: 'success' });
              return this.reload();
            })
            .catch(showError)
            .then(() => this.setData({ busy: false }));
        },
      });
    },
    /** Issue 18: cancels what auto-accept booked (every booking of the entry); each seat goes back to the queue. */
    onCancelBooking() {
      const ids = this.data.cancelIds;
      if (this.data.busy || ids.length === 0) return;
      wx.showModal({
        title: '取消预约',
        content: `确定取消${this.data.booked.kids}的预约吗？取消后名额会马上还给候补队列，由排在前面的家长获得。`,
        confirmText: '取消预约',
        cancelText: '再想想',
        success: (res) => {
          if (res.confirm) this.cancelBookings(ids);
        },
      });
    },
    /**
     * One cancel per booking, one after another; then the server's state decides what to say
     * (a lost answer may still have cancelled). @param {number[]} ids
     */
    cancelBookings(ids) {
      this.setData({ busy: true });
      const failures = ids.reduce(
        (chain, id) => chain.then((errs) => api.cancelBooking(id).then(() => errs, (/** @type {any} */ err) => errs.concat([err]))),
        Promise.resolve(/** @type {any[]} */ ([])),
      );
      return failures
        .then((errs) => this.reload().then(() => errs))
        .then((errs) => {
          const left = this.data.cancelIds.filter((id) => ids.indexOf(id) >= 0);
          if (errs.length === 0 || left.length === 0) wx.showToast({ title: '已取消预约', icon: 'success' });
          else showError(errs[0]);
          this.setData({ busy: false });
        });
    },
  },
});
