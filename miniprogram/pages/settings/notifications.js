// 通知设置: which WeChat messages are on (wx.getSetting withSubscriptions → itemSettings), and
// a tap to ask again for the waitlist or the makeup messages. The in-app 消息 page always gets
// every message; these settings only decide WeChat's service notifications.
const loadable = require('../../behaviors/loadable');
const actions = require('../../behaviors/actions');
const club = require('../../utils/club');
const { typeInfo } = require('../../utils/notice-types');
const { requestTemplates } = require('../../utils/subscribe');

const GROUPS = [
  { moment: 'waitlist_join', title: '候补提醒', types: ['spot_available', 'hold_for_you', 'seat_taken'], button: '开启候补提醒' },
  { moment: 'makeup_book', title: '补课提醒', types: ['makeup_booked', 'makeup_cancelled', 'compensation_expiring'], button: '开启补课提醒' },
  // AA1: a parent who lets the club book for them hears of the booking here
  { moment: 'waitlist_auto_join', title: '自动预约提醒', types: ['seat_confirmed'], button: '开启自动预约提醒' },
];
const WORDS = {
  accept: { text: '总是接收', tone: 'on' },
  reject: { text: '已关闭', tone: 'off' },
  ban: { text: '已被微信关闭', tone: 'off' },
  ask: { text: '每次询问', tone: 'ask' },
};

/** @returns {Promise<{mainSwitch: boolean, items: Record<string, string>}>} */
function readSetting() {
  return new Promise((resolve) => {
    wx.getSetting({
      withSubscriptions: true,
      success: (res) => {
        const s = res.subscriptionsSetting || /** @type {any} */ ({});
        resolve({ mainSwitch: s.mainSwitch !== false, items: s.itemSettings || {} });
      },
      fail: () => resolve({ mainSwitch: true, items: {} }),
    });
  });
}

Component({
  behaviors: [loadable, actions],
  data: {
    available: true,
    mainSwitch: true,
    groups: [],
  },
  methods: {
    onLoad() {
      this.reload();
    },
    onShow() {
      if (this.data.state === 'ready') this.reload();
    },
    fetch() {
      return Promise.all([club.load().catch(() => club.peek()), readSetting()]).then(([c, setting]) => {
        const templates = (c && c.subscribe && c.subscribe.templates) || {};
        const moments = (c && c.subscribe && c.subscribe.moments) || {};
        const groups = GROUPS.map((g) => {
          const ids = (moments[g.moment] || []).slice(0, 3);
          const items = g.types
            .filter((type) => templates[type])
            .map((type) => {
              const answer = setting.items[templates[type]];
              const word = /** @type {any} */ (WORDS)[answer] || WORDS.ask;
              return { type, label: typeInfo(type).label, text: word.text, tone: word.tone };
            });
          return { ...g, ids, items, allOn: items.length > 0 && items.every((i) => i.tone === 'on') };
        }).filter((g) => g.items.length > 0 || g.ids.length > 0);
        this.setData({ available: groups.length > 0, mainSwitch: setting.mainSwitch, groups });
        return true;
      });
    },
    /** Inside the tap: ask for this group's templates, then show the new state. */
    onAsk(e) {
      const group = this.data.groups.find((g) => g.moment === e.currentTarget.dataset.moment);
      if (!group || this.isPending('ask')) return;
      const asked = requestTemplates(group.ids);
      this.runOnce('ask', () =>
        asked.then((results) => {
          const accepted = results ? Object.keys(results).filter((k) => results[k] === 'accept').length : 0;
          wx.showToast({ title: accepted > 0 ? `已开启${accepted}项提醒` : '没有开启新的提醒', icon: 'none' });
          return this.reload();
        }),
      );
    },
    onOpenSetting() {
      wx.openSetting({ withSubscriptions: true, complete: () => this.reload() });
    },
  },
});
