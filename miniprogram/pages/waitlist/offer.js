// The offer flow: 立即预约 (begin) → 确认预约 (confirm) against the deadline, then the verdict.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const { showError } = require('../../utils/request');

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
  return time.toMs(b) > time.toMs(a) ? b : a;
}

Component({
  behaviors: [loadable],
  data: {
    id: 0,
    entry: null,
    classTime: '',
    phase: 'none',
    deadline: '',
    minutesLeft: 0,
    busy: false,
    verdict: null,
  },
  methods: {
    onLoad(query) {
      this.setData({ id: Number(query.id) });
      this.reload();
    },
    fetch() {
      return api.myWaitlist().then((data) => {
        const entry = ((data && data.items) || []).find((e) => e.waitlist_id === this.data.id);
        if (!entry) return false;
        this.setData({ entry, classTime: time.formatDateTime(entry.starts_at) });
        if (entry.status === 'notified' && entry.offer) {
          const deadline = entry.offer.grace_until ? later(entry.offer.deadline, entry.offer.grace_until) : entry.offer.deadline;
          this.setData({ phase: 'offer', deadline, minutesLeft: this.minutesUntil(deadline) });
        } else if (entry.status === 'confirmed') {
          this.finish('won');
        } else if (entry.status === 'expired') {
          this.finish('expired');
        } else {
          this.setData({ phase: 'none' });
        }
        return true;
      });
    },
    /** @param {string} deadline */
    minutesUntil(deadline) {
      return Math.max(0, Math.ceil((time.toMs(deadline) - Date.now()) / 60000));
    },
    /** Shows a verdict page. @param {'won'|'taken'|'expired'|'declined'} kind @param {string} [message] */
    finish(kind, message) {
      const base = /** @type {any} */ (VERDICTS)[kind];
      const entry = this.data.entry || {};
      const text = kind === 'won' ? `已为${entry.profile_name}预约「${entry.course_name}」（${this.data.classTime}），请准时上课。` : message || base.text;
      this.setData({ phase: kind, deadline: '', verdict: { ...base, text } });
    },
    /** Maps the API's answer (or its 409/410) to the next phase. */
    respond(action) {
      if (this.data.busy) return Promise.resolve();
      this.setData({ busy: true });
      return api
        .respond(this.data.id, action)
        .then((data) => {
          if (data.verdict === 'began') {
            const deadline = later(this.data.deadline, data.grace_until);
            this.setData({ phase: 'confirm', deadline, minutesLeft: this.minutesUntil(deadline) });
          } else {
            this.finish(data.verdict);
          }
        })
        .catch((err) => {
          if (err.code === 40907 || (err.data && err.data.verdict === 'taken')) this.finish('taken');
          else if (err.code === 41000 || (err.data && err.data.verdict === 'expired')) this.finish('expired', err.message);
          else showError(err);
        })
        .then(() => this.setData({ busy: false }));
    },
    onBegin() {
      return this.respond('begin');
    },
    onConfirm() {
      return this.respond('confirm');
    },
    onDecline() {
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
    onExpire() {
      if (this.data.phase === 'offer' || this.data.phase === 'confirm') this.finish('expired');
    },
    onMyWaitlist() {
      wx.switchTab({ url: '/pages/waitlist/index' });
    },
    onSessions() {
      wx.switchTab({ url: '/pages/sessions/index' });
    },
  },
});
