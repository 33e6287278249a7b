// Notification centre: every in-app message, newest first, 20 a page (more on reaching the
// bottom); tapping one marks it read and opens its page; 全部已读; the unread count is the
// 消息 tab's badge. An unread, still-open seat offer pops up.
const loadable = require('../../behaviors/loadable');
const actions = require('../../behaviors/actions');
const api = require('../../utils/api');
const time = require('../../utils/time');
const badge = require('../../utils/badge');
const { typeInfo, targetUrl, leaveUrl, go } = require('../../utils/notice-types');

const URGENT = ['spot_available', 'hold_for_you'];
const PAGE_SIZE = 20;

/** @param {any} n @param {number} now */
function decorate(n, now) {
  const info = typeInfo(n.type);
  return { ...n, label: info.label, color: info.color, ago: time.formatAgo(n.created_at, now), leaveUrl: leaveUrl(n) };
}

Component({
  behaviors: [loadable, actions],
  data: {
    items: [],
    page: 1,
    total: 0,
    unread: 0,
    more: false,
    loadingMore: false,
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
    /** Page 1 again (first load, pull-down, coming back). */
    fetch() {
      return api.notifications({ page: 1, page_size: PAGE_SIZE }).then((data) => {
        const now = Date.now();
        const list = (data && data.items) || [];
        const items = list.map((n) => decorate(n, now));
        const total = typeof data.total === 'number' ? data.total : items.length;
        const unread = typeof data.unread_count === 'number' ? data.unread_count : list.filter((n) => !n.read).length;
        const popup =
          list.find((n) => !n.read && URGENT.indexOf(n.type) >= 0 && n.data && time.toMs(n.data.deadline) > now) || null;
        this.setData({
          items,
          page: 1,
          total,
          more: items.length < total,
          unread,
          popup,
          popupShown: !!popup && popup.id !== this.data.dismissed,
        });
        badge.show(unread);
        return items.length > 0;
      });
    },
    onReachBottom() {
      if (!this.data.more || this.data.state !== 'ready') return Promise.resolve();
      return this.runOnce('more', () => {
        const next = this.data.page + 1;
        this.setData({ loadingMore: true });
        return api
          .notifications({ page: next, page_size: PAGE_SIZE })
          .then((data) => {
            const now = Date.now();
            const seen = {};
            this.data.items.forEach((n) => {
              /** @type {any} */ (seen)[n.id] = true;
            });
            // a message that arrived meanwhile shifts the pages: skip what is already shown
            const fresh = ((data && data.items) || []).filter((n) => !(/** @type {any} */ (seen)[n.id])).map((n) => decorate(n, now));
            const items = this.data.items.concat(fresh);
            const total = typeof data.total === 'number' ? data.total : items.length;
            this.setData({ items, page: next, total, more: fresh.length > 0 && items.length < total });
            if (typeof data.unread_count === 'number') {
              this.setData({ unread: data.unread_count });
              badge.show(data.unread_count);
            }
          })
          .catch(() => wx.showToast({ title: '加载失败，上拉重试', icon: 'none' }))
          .then(() => this.setData({ loadingMore: false }));
      });
    },
    /** Marks one read on the screen at once, then on the server (idempotent). @param {any} n */
    markRead(n) {
      if (!n || n.read) return Promise.resolve();
      const items = this.data.items.map((x) => (x.id === n.id ? { ...x, read: true } : x));
      const unread = Math.max(0, this.data.unread - 1);
      this.setData({ items, unread });
      badge.show(unread);
      return api
        .readNotification(n.id)
        .then((data) => {
          if (data && typeof data.unread_count === 'number') {
            this.setData({ unread: data.unread_count });
            badge.show(data.unread_count);
          }
        })
        .catch(() => {});
    },
    onOpen(e) {
      const n = this.data.items.find((x) => x.id === Number(e.currentTarget.dataset.id));
      if (!n) return;
      this.markRead(n);
      go(targetUrl(n));
    },
    /** L1: leave the queue from its notice (the tap does not open the notice itself). */
    onLeave(e) {
      const n = this.data.items.find((x) => x.id === Number(e.currentTarget.dataset.id));
      if (!n || !n.leaveUrl) return;
      this.markRead(n);
      go(n.leaveUrl);
    },
    onReadAll() {
      if (this.data.unread === 0) return Promise.resolve();
      return this.runOnce('readAll', () =>
        api
          .readAllNotifications()
          .then((data) => {
            const unread = data && typeof data.unread_count === 'number' ? data.unread_count : 0;
            this.setData({ items: this.data.items.map((x) => ({ ...x, read: true })), unread, popupShown: false });
            badge.show(unread);
          })
          .catch((err) => wx.showToast({ title: (err && err.message) || '操作失败', icon: 'none' })),
      );
    },
    onPopupAction(e) {
      const n = e.detail.notification;
      this.setData({ popupShown: false, dismissed: n.id });
      this.markRead(this.data.items.find((x) => x.id === n.id));
      go(targetUrl(n));
    },
    onPopupClose() {
      this.setData({ popupShown: false, dismissed: this.data.popup ? this.data.popup.id : 0 });
    },
    onSettings() {
      wx.navigateTo({ url: '/pages/settings/notifications' });
    },
  },
});
