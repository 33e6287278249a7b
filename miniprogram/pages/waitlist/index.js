// My waitlist: every entry of every child, active ones first; a popup when a seat is waiting.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const config = require('../../config');
const { isActive, hasOffer } = require('../../utils/states');
const { showError } = require('../../utils/request');
const { createPoller } = require('../../utils/poller');
const badge = require('../../utils/badge');
const family = require('../../utils/family');

/** Poller handles per page instance (kept out of `data`). */
const pollers = new WeakMap();

/** The popup shown for an entry with an open offer. @param {any} entry */
function offerNotice(entry) {
  const offer = entry.offer || {};
  return {
    waitlist_id: entry.waitlist_id,
    type: offer.kind === 'hold' ? 'hold_for_you' : 'spot_available',
    title: offer.kind === 'hold' ? '名额为您保留' : '候补名额空出',
    body: `${family.childrenText(entry)}的「${entry.course_name}」（${time.formatWhen(entry.starts_at, entry.booking_date)}）有名额了，请在截止前确认预约。`,
    data: { waitlist_id: entry.waitlist_id, deadline: offer.grace_until || offer.deadline || '' },
  };
}

Component({
  behaviors: [loadable],
  lifetimes: {
    detached() {
      this.watch(false);
    },
  },
  data: {
    active: [],
    finished: [],
    popup: null,
    popupShown: false,
    dismissed: 0,
  },
  methods: {
    onLoad() {
      this.reload();
    },
    onShow() {
      badge.refresh();
      if (this.data.state === 'ready' || this.data.state === 'empty') this.reload();
    },
    onHide() {
      this.watch(false);
    },
    onUnload() {
      this.watch(false);
    },
    fetch() {
      return api.myWaitlist().then((data) => {
        const items = (data && data.items) || [];
        const active = items.filter(isActive);
        const finished = items.filter((e) => !isActive(e));
        const offered = active.find(hasOffer);
        const popup = offered ? offerNotice(offered) : null;
        const shown = !!popup && popup.waitlist_id !== this.data.dismissed;
        this.setData({
          active,
          finished,
          popup,
          popupShown: shown,
        });
        // An offer on screen can be taken by another parent any moment: keep checking.
        this.watch(!!offered);
        return items.length > 0;
      });
    },
    /** @param {boolean} on */
    watch(on) {
      let poller = pollers.get(this);
      if (!poller && on) {
        poller = createPoller(() => this.fetch(), config.offerPollMs);
        pollers.set(this, poller);
      }
      if (poller) {
        if (on) poller.start();
        else poller.stop();
      }
    },
    onOpen(e) {
      wx.navigateTo({ url: `/pages/waitlist/detail?id=${e.detail.id}` });
    },
    onRespond(e) {
      wx.navigateTo({ url: `/pages/waitlist/offer?id=${e.detail.id}` });
    },
    onCancel(e) {
      const id = e.detail.id;
      wx.showModal({
        title: '取消候补',
        content: family.leaveQuestion(this.data.active.find((x) => x.waitlist_id === id)),
        confirmText: '取消候补',
        cancelText: '再想想',
        success: (res) => {
          if (!res.confirm) return;
          api
            .leaveWaitlist(id)
            .then(() => {
              wx.showToast({ title: '已取消候补', icon: 'success' });
              return this.reload();
            })
            .catch(showError);
        },
      });
    },
    onPopupAction() {
      const id = this.data.popup.waitlist_id;
      this.setData({ popupShown: false, dismissed: id });
      wx.navigateTo({ url: `/pages/waitlist/offer?id=${id}` });
    },
    onPopupClose() {
      this.setData({ popupShown: false, dismissed: this.data.popup ? this.data.popup.waitlist_id : 0 });
    },
    onBrowse() {
      wx.switchTab({ url: '/pages/sessions/index' });
    },
  },
});
