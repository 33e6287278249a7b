// One waitlist entry: live position, joined time, estimated wait, progress and notification history.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const { isActive, hasOffer } = require('../../utils/states');
const { showError } = require('../../utils/request');
const { typeInfo } = require('../../utils/notice-types');

const RESPONSES = { confirm: '已确认', begin: '已开始预约', decline: '已放弃' };

/** Progress steps and the active index for an entry. @param {any} entry */
function progress(entry) {
  const steps = [{ text: '加入候补' }, { text: '等待名额' }, { text: '有名额通知' }, { text: '确认预约' }];
  if (entry.status === 'confirmed') return { steps, active: 3 };
  if (hasOffer(entry)) return { steps, active: 2 };
  return { steps, active: isActive(entry) ? 1 : 0 };
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
        return Promise.all([live, history]).then(([pos, hist]) => {
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
    onRespond() {
      wx.navigateTo({ url: `/pages/waitlist/offer?id=${this.data.id}` });
    },
    onCancel() {
      if (this.data.busy) return;
      wx.showModal({
        title: '取消候补',
        content: '确定取消候补吗？取消后如需候补要重新排队。',
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
  },
});
