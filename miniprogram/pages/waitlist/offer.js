// The offer flow: 立即预约 (begin) → 确认预约 (confirm) against the deadline, then the verdict.
// While an offer is on screen the page re-checks it (another parent may confirm first, the
// round may end); a button for a seat that is gone is replaced by what happened.
const loadable = require('../../behaviors/loadable');
const actions = require('../../behaviors/actions');
const api = require('../../utils/api');
const time = require('../../utils/time');
const config = require('../../config');
const { hasOffer } = require('../../utils/states');
const { showError, isNetworkError } = require('../../utils/request');
const { createPoller } = require('../../utils/poller');
const { go } = require('../../utils/tabs');
const family = require('../../utils/family');

const EXPIRED_TEXT = '候补确认已过期，名额已顺位给下一位候补用户';

const VERDICTS = {
  won: { icon: '✓', tone: 'success', title: '预约成功', text: '' },
  taken: { icon: '!', tone: 'fail', title: '名额已被抢占', text: '其他家长先一步确认了这个名额。您仍在候补队列中，有新名额会再通知您。' },
  expired: { icon: '!', tone: 'fail', title: '确认已过期', text: EXPIRED_TEXT },
  declined: { icon: '○', tone: 'plain', title: '已放弃本次名额', text: '您仍保留候补位置，有新名额会再通知您。' },
};

/** Later of two RFC 3339 instants. @param {string} a @param {string} [b] */
function later(a, b) {
  if (!b) return a;
  if (!a) return b;
  return time.toMs(b) > time.toMs(a) ? b : a;
}

/** The last moment the parent may still confirm an offer ('' when the service gives none). @param {any} offer */
function offerDeadline(offer) {
  return later(offer.deadline || '', offer.grace_until || '');
}

/** Poller handles per page instance (kept out of `data`). */
const pollers = new WeakMap();

Component({
  behaviors: [loadable, actions],
  data: {
    id: 0,
    entry: null,
    classTime: '',
    phase: 'none',
    deadline: '',
    minutesLeft: 0,
    verdict: null,
    busy: false,
    childrenText: '',
  },
  lifetimes: {
    detached() {
      this.stopWatching();
    },
  },
  methods: {
    onLoad(query) {
      this.setData({ id: Number(query.id) });
      this.reload();
    },
    /** L1: the way out of the queue, from the page every offer message opens. */
    onLeaveQueue() {
      go(`/pages/waitlist/leave?id=${this.data.id}`);
    },
    onShow() {
      if (this.data.state === 'ready' && !this.data.verdict) this.refresh();
    },
    onHide() {
      this.stopWatching();
    },
    onUnload() {
      this.stopWatching();
    },
    fetch() {
      return this.loadEntry().then((entry) => {
        if (!entry) return false;
        this.apply(entry);
        return true;
      });
    },
    /** The entry as the server has it now (undefined if it is not this parent's). */
    loadEntry() {
      return api.myWaitlist().then((data) => ((data && data.items) || []).find((e) => e.waitlist_id === this.data.id));
    },
    /** Re-reads the entry and shows what changed. Never rejects. */
    refresh() {
      return this.loadEntry()
        .then((entry) => {
          if (entry) this.apply(entry);
        })
        .catch(() => {});
    },
    /**
     * Shows an entry: its live offer, or its outcome. A page that was showing an offer whose
     * seat is gone says so instead of keeping a dead button.
     * @param {any} entry
     */
    apply(entry) {
      const showing = this.data.phase === 'offer' || this.data.phase === 'confirm';
      this.setData({ entry, childrenText: family.childrenText(entry), classTime: time.formatWhen(entry.starts_at, entry.booking_date) });
      const deadline = hasOffer(entry) ? offerDeadline(entry.offer) : '';
      const live = hasOffer(entry) && (!deadline || time.toMs(deadline) > Date.now());
      if (live) {
        const next = this.data.phase === 'confirm' ? later(this.data.deadline, deadline) : deadline;
        this.setData({ phase: this.data.phase === 'confirm' ? 'confirm' : 'offer', deadline: next, minutesLeft: this.minutesUntil(next) });
        this.watch();
      } else if (entry.status === 'confirmed') {
        this.finish('won');
      } else if (entry.status === 'expired' || (hasOffer(entry) && !live)) {
        this.finish('expired');
      } else if (showing) {
        // still in the queue, but the offer on screen is gone: someone else confirmed first,
        // or the round ended and the seat is held for another parent
        const passed = this.data.deadline && time.toMs(this.data.deadline) <= Date.now();
        this.finish(passed ? 'expired' : 'taken');
      } else {
        this.stopWatching();
        this.setData({ phase: 'none', deadline: '' });
      }
    },
    watch() {
      let poller = pollers.get(this);
      if (!poller) {
        poller = createPoller(() => this.refresh(), config.offerPollMs);
        pollers.set(this, poller);
      }
      poller.start();
    },
    stopWatching() {
      const poller = pollers.get(this);
      if (poller) poller.stop();
    },
    /** @param {string} deadline */
    minutesUntil(deadline) {
      return Math.max(0, Math.ceil((time.toMs(deadline) - Date.now()) / 60000));
    },
    /**
     * Shows a verdict. @param {'won'|'taken'|'expired'|'declined'} kind @param {string} [message]
     * @param {number[]} [ids] for won: the bookings made (default: the entry's `booking_ids`)
     */
    finish(kind, message, ids) {
      this.stopWatching();
      const base = /** @type {any} */ (VERDICTS)[kind];
      if (kind !== 'won') {
        this.setData({ phase: kind, deadline: '', verdict: { ...base, text: message || base.text } });
        return;
      }
      const entry = this.data.entry || {};
      const booked = ids || family.bookingIds(entry);
      const partly = booked.length > 0 && booked.length < family.partySize(entry);
      const text = family.wonText(entry, booked, entry.course_name, this.data.classTime);
      this.setData({ phase: kind, deadline: '', verdict: { ...base, title: partly ? '已为部分孩子预约' : base.title, text } });
    },
    /**
     * A won confirm. A family that got fewer seats than children: the entry, read again, says
     * which children were booked (a child's `booking_id`). @param {number[]} [ids] the confirm's `booking_ids`
     */
    won(ids) {
      const booked = ids || [];
      if (booked.length === 0 || booked.length >= family.partySize(this.data.entry)) {
        this.finish('won', '', booked.length ? booked : undefined);
        return Promise.resolve();
      }
      return this.loadEntry()
        .then((entry) => {
          if (entry) this.setData({ entry });
        })
        .catch(() => {})
        .then(() => this.finish('won', '', booked));
    },
    /**
     * Sends one answer; taps while it is on its way are ignored. begin/confirm are repeated by
     * the request layer after a lost connection (the server answers a repeated confirm the same);
     * if the answer never arrives the page asks the server what happened before offering the button again.
     * @param {'begin'|'confirm'|'decline'} action
     */
    respond(action) {
      return this.runOnce('respond', () => {
        this.setData({ busy: true });
        return api
          .respond(this.data.id, action)
          .then((data) => {
            if (data.verdict === 'began') {
              const deadline = later(this.data.deadline, data.grace_until);
              this.setData({ phase: 'confirm', deadline, minutesLeft: this.minutesUntil(deadline) });
            } else if (data.verdict === 'won') {
              return this.won(data.booking_ids);
            } else {
              this.finish(data.verdict);
            }
            return undefined;
          })
          .catch((err) => {
            const verdict = err && err.data && err.data.verdict;
            if (err.code === 40907 || verdict === 'taken') this.finish('taken');
            else if (err.code === 41000 || verdict === 'expired') this.finish('expired', err.message);
            else if (verdict === 'not_offered') return this.refresh();
            else if (isNetworkError(err)) {
              showError(err);
              return this.refresh();
            } else showError(err);
            return undefined;
          })
          .then(() => this.setData({ busy: false }));
      });
    },
    onBegin() {
      return this.respond('begin');
    },
    onConfirm() {
      return this.respond('confirm');
    },
    onDecline() {
      if (this.isPending('respond')) return;
      wx.showModal({
        title: '放弃本次名额',
        content: '放弃后名额会让给其他家长，您仍保留候补位置。确定放弃吗？',
        confirmText: '放弃',
        cancelText: '再想想',
        success: (res) => {
          if (res.confirm) this.respond('decline');
        },
      });
    },
    onTick(e) {
      const minutes = Math.ceil(e.detail.remaining / 60000);
      if (minutes !== this.data.minutesLeft) this.setData({ minutesLeft: minutes });
    },
    /** The countdown reached zero: the server decides (the seat may now be held for this parent). */
    onExpire() {
      if (this.data.phase !== 'offer' && this.data.phase !== 'confirm') return Promise.resolve();
      return this.loadEntry()
        .then((entry) => {
          if (entry) this.apply(entry);
          else this.finish('expired');
        })
        .catch(() => this.finish('expired'));
    },
    onMyWaitlist() {
      wx.switchTab({ url: '/pages/waitlist/index' });
    },
    onSessions() {
      wx.switchTab({ url: '/pages/sessions/index' });
    },
  },
});
