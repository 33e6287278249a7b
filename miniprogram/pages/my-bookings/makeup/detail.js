// One makeup booking (GET /api/v1/makeup/{id}): the class, the class it makes up for, the
// minutes credit it created, and cancel / 日历同步 / 联系运营.
const loadable = require('../../../behaviors/loadable');
const actions = require('../../../behaviors/actions');
const api = require('../../../utils/api');
const time = require('../../../utils/time');
const club = require('../../../utils/club');
const calendar = require('../../../utils/calendar');
const { showError } = require('../../../utils/request');
const { validitySentence } = require('../../../utils/rules');
const { decorate, cancelledText, CANCEL_CONFIRM } = require('../../../utils/makeups');

const CREDIT_STATUS = { available: '可使用', used: '已用完', expired: '已过期', revoked: '已撤回' };

Component({
  behaviors: [loadable, actions],
  data: {
    id: 0,
    item: null,
    originalText: '',
    credit: null,
    usedText: '',
    validityText: '',
  },
  methods: {
    onLoad(query) {
      this.setData({ id: Number(query.id) });
      this.reload();
    },
    fetch() {
      return Promise.all([api.makeup(this.data.id), club.loadQuietly()])
        .then(([m, c]) => {
          if (!m) return false;
          const rules = club.rulesFor(c, m.course_type);
          const item = decorate(m, Date.now(), rules);
          const original = m.original || null;
          const credit = m.credit
            ? {
              ...m.credit,
              minutesText: time.formatMinutes(m.credit.minutes),
              remainingText: time.formatMinutes(m.credit.remaining_minutes),
              expiresText: time.formatDateTime(m.credit.expires_at),
              statusText: /** @type {any} */ (CREDIT_STATUS)[m.credit.status] || m.credit.status,
            }
            : null;
          this.setData({
            item,
            originalText: original ? `${original.course_name} · ${time.formatWhen(original.starts_at, original.booking_date)}` : '',
            credit,
            usedText: m.compensation_used > 0 ? `这节补课用了${time.formatMinutes(m.compensation_used)}课时补偿` : '',
            validityText: validitySentence(rules),
          });
          return true;
        })
        .catch((err) => {
          if (err && err.status === 404) return false;
          throw err;
        });
    },
    onCancel() {
      const id = this.data.id;
      if (this.isPending('cancel')) return;
      wx.showModal({
        title: '取消补课',
        content: CANCEL_CONFIRM,
        confirmText: '取消补课',
        cancelText: '再想想',
        success: (res) => {
          if (!res.confirm) return;
          this.runOnce('cancel', () =>
            api
              .cancelMakeup(id)
              .then((data) => wx.showToast({ title: cancelledText(data), icon: 'none' }))
              .catch(showError)
              .then(() => this.reload()),
          );
        },
      });
    },
    onCalendar() {
      const m = this.data.item;
      if (!m) return Promise.resolve(false);
      return calendar
        .addClass({
          title: `补课：${m.course_name}`,
          startsAt: m.starts_at,
          endsAt: m.ends_at,
          minutes: m.duration_minutes,
          location: m.location,
          description: m.coach ? `${m.coach}，请提前10分钟到馆` : '请提前10分钟到馆',
        })
        .then((added) => {
          wx.showToast({ title: added ? '已添加到手机日历' : '未添加到日历', icon: added ? 'success' : 'none' });
          return added;
        });
    },
    onCompensation() {
      wx.navigateTo({ url: '/pages/makeup/compensation' });
    },
  },
});
