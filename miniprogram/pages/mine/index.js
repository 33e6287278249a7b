// 我的 (tab): the children with their levels, and the way to everything that is the parent's own.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const club = require('../../utils/club');
const badge = require('../../utils/badge');
const { go } = require('../../utils/tabs');

const MENU = [
  { key: 'bookings', text: '我的课程', hint: '请假、取消预约', url: '/pages/bookings/index' },
  { key: 'waitlist', text: '我的候补', hint: '', url: '/pages/waitlist/index' },
  { key: 'makeups', text: '我的补课', hint: '', url: '/pages/my-bookings/makeup/index' },
  { key: 'compensation', text: '课时补偿', hint: '', url: '/pages/makeup/compensation' },
  { key: 'settings', text: '通知设置', hint: '微信提醒', url: '/pages/settings/notifications' },
  { key: 'help', text: '规则说明', hint: '候补、补课怎么算', url: '/pages/help/index' },
];

Component({
  behaviors: [loadable],
  data: {
    profiles: [],
    clubName: '',
    menu: MENU,
  },
  methods: {
    onLoad() {
      this.reload();
    },
    onShow() {
      badge.refresh();
      if (this.data.state === 'ready') this.reload();
    },
    fetch() {
      return Promise.all([api.profiles(), api.compensationBalance().catch(() => null), club.loadQuietly()]).then(([data, bal, c]) => {
        const minutes = (bal && bal.total_minutes) || 0;
        const menu = MENU.map((m) => (m.key === 'compensation' ? { ...m, hint: minutes > 0 ? `可用${time.formatMinutes(minutes)}` : '' } : m));
        this.setData({ profiles: (data && data.items) || [], clubName: (c && c.name) || '', menu });
        return true;
      });
    },
    onProfiles() {
      wx.navigateTo({ url: '/pages/profiles/index' });
    },
    onMenu(e) {
      go(e.currentTarget.dataset.url);
    },
  },
});
