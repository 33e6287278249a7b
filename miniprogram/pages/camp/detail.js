// One camp: the rules, the enrolment form (星球ID / nicknames, used to match check-ins), and
// paying the deposit with the parameters the server signed. After paying, the server is asked
// until it has the payment, then the progress page (with the group QR code) opens.
const campApi = require('../../utils/camp-api');
const { showError } = require('../../utils/request');

Component({
  data: {
    id: 0,
    camp: /** @type {any} */ (null),
    communityUserId: '',
    communityNickname: '',
    wechatNickname: '',
    paying: false,
    errorText: '',
  },
  methods: {
    onLoad(/** @type {any} */ query) {
      const id = Number((query || {}).id);
      this.setData({ id });
      if (!id) {
        this.setData({ errorText: '没有找到训练营' });
        return Promise.resolve();
      }
      return campApi
        .camp(id)
        .then((/** @type {any} */ camp) => this.setData({ camp }))
        .catch((/** @type {any} */ err) => this.setData({ errorText: (err && err.message) || '加载失败' }));
    },
    onInput(/** @type {any} */ e) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value });
    },
    onPay() {
      const d = this.data;
      if (d.paying) return Promise.resolve();
      if (!d.communityUserId.trim() && !d.communityNickname.trim() && !d.wechatNickname.trim()) {
        wx.showToast({ title: '请至少填写星球ID或昵称，用于匹配打卡', icon: 'none' });
        return Promise.resolve();
      }
      this.setData({ paying: true });
      /** @type {string} */
      let outTradeNo = '';
      return campApi
        .enrol(d.id, {
          community_user_id: d.communityUserId.trim() || null,
          community_nickname: d.communityNickname.trim() || null,
          wechat_nickname: d.wechatNickname.trim() || null,
        })
        .then((/** @type {any} */ enrolled) => {
          outTradeNo = enrolled.out_trade_no;
          return campApi.requestPayment(enrolled.payment);
        })
        .then(() => {
          wx.showLoading({ title: '确认支付结果', mask: true });
          return campApi.waitPaid(outTradeNo);
        })
        .then((/** @type {any} */ order) => {
          wx.hideLoading();
          if (order && order.state === 'paid') {
            wx.redirectTo({ url: `/pages/camp/progress?id=${d.id}` });
          } else {
            wx.showToast({ title: '支付结果确认中，稍后可在训练营页查看', icon: 'none', duration: 3000 });
          }
        })
        .catch((/** @type {any} */ err) => {
          if (err && err.cancelled) {
            wx.showToast({ title: '支付已取消，名额为您保留15分钟', icon: 'none', duration: 3000 });
          } else {
            showError(err);
          }
        })
        .then(() => this.setData({ paying: false }));
    },
    onProgress() {
      wx.navigateTo({ url: `/pages/camp/progress?id=${this.data.id}` });
    },
  },
});
