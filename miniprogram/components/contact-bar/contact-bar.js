// 联系运营: WeChat's customer-service chat (button open-type="contact") and the club's phone
// from GET /api/v1/club, for makeups the app cannot arrange by itself.
const club = require('../../utils/club');

Component({
  properties: {
    text: { type: String, value: '找不到合适的补课时间？可以联系运营帮您安排' },
  },
  data: {
    phone: '',
    clubName: '',
  },
  lifetimes: {
    attached() {
      this.show(club.peek());
      club.loadQuietly().then((c) => this.show(c));
    },
  },
  methods: {
    /** @param {any} c */
    show(c) {
      if (c) this.setData({ phone: c.phone || '', clubName: c.name || '' });
    },
    onCall() {
      if (this.data.phone) wx.makePhoneCall({ phoneNumber: this.data.phone, fail: () => {} });
    },
  },
});
