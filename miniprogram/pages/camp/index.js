// Training camps open for enrolment, with the deposit, seats left and my status.
const loadable = require('../../behaviors/loadable');
const campApi = require('../../utils/camp-api');

/** @type {Record<string, string>} */
const STATUS = { reserved: '待支付', paid: '已报名', released: '未支付', anomaly: '处理中' };

/** @param {any} c */
function decorate(c) {
  return {
    ...c,
    datesText: `${c.start_date} 至 ${c.end_date} · 共${c.days}天`,
    ruleText: `打卡满${c.required_days}天退还押金`,
    seatsText: c.seats_left > 0 ? `剩余${c.seats_left}个名额` : '名额已满',
    myText: c.my_status ? STATUS[c.my_status] || '' : '',
  };
}

Component({
  behaviors: [loadable],
  data: { camps: [] },
  methods: {
    onLoad() {
      this.reload();
    },
    onShow() {
      if (this.data.state === 'ready') this.reload();
    },
    fetch() {
      return campApi.camps().then((/** @type {any} */ res) => {
        const camps = ((res && res.items) || []).map(decorate);
        this.setData({ camps });
        return camps.length > 0;
      });
    },
    onOpen(/** @type {any} */ e) {
      const { id, status } = e.currentTarget.dataset;
      const url = status === 'paid' ? `/pages/camp/progress?id=${id}` : `/pages/camp/detail?id=${id}`;
      wx.navigateTo({ url });
    },
    onRetry() {
      this.reload();
    },
  },
});
