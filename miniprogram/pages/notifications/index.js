// Notification centre: every in-app message, newest first; urgent seat offers pop up.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const { typeInfo, targetUrl, go } = require('../../utils/notice-types');

const URGENT = ['spot_available', 'hold_for_you'];

Component({
  behaviors: [loadable],
  data: {
    items: [],
    unread: 0,
    popup: null,
    popupShown: false,
    dismissed: 0,
  },
  methods: {
    onLoad() {
      this.reload();
    },
    onShow() {
      if (this.data.state === 'ready' || this.data.state === 'empty') this.reload();
    },
    fetch() {
      return api.notifications().then((data) => {
        const now = Date.now();
        const list = (data && data.items) || [];
        const items = list.map((n) => {
          const info = typeInfo(n.type);
          return { ...n, label: info.label, color: info.color, ago: time.formatAgo(n.created_at, now) };
        });
        const popup =
          list.find((n) => !n.read && URGENT.indexOf(n.type) >= 0 && n.data && time.toMs(n.data.deadline) > now) || null;
        this.setData({
          items,
          unread: list.filter((n) => !n.read).length,
          popup,
          popupShown: !!popup && popup.id !== this.data.dismissed,
        });
        return items.length > 0;
      });
    },
    onOpen(e) {
      const n = this.data.items.find((x) => x.id === Number(e.currentTarget.dataset.id));
      if (n) go(targetUrl(n));
    },
    onPopupAction(e) {
      const n = e.detail.notification;
      this.setData({ popupShown: false, dismissed: n.id });
      go(targetUrl(n));
    },
    onPopupClose() {
      this.setData({ popupShown: false, dismissed: this.data.popup ? this.data.popup.id : 0 });
    },
  },
});
