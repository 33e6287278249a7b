// My camp: the group QR code once paid, days so far, check-ins against the days needed, the
// match with the community account, and where the deposit refund stands.
const loadable = require('../../behaviors/loadable');
const campApi = require('../../utils/camp-api');

const { depositText } = campApi;

Component({
  behaviors: [loadable],
  data: {
    id: 0,
    p: /** @type {any} */ (null),
    percent: 0,
    depositText: '',
    matchText: '',
  },
  methods: {
    onLoad(/** @type {any} */ query) {
      this.setData({ id: Number((query || {}).id) });
      return this.reload();
    },
    fetch() {
      return campApi.progress(this.data.id).then((/** @type {any} */ p) => {
        const percent = p.required_days > 0 ? Math.min(100, Math.round((p.checkin_days * 100) / p.required_days)) : 0;
        this.setData({
          p,
          percent,
          depositText: depositText(p),
          matchText: p.matched ? `已匹配星球账号（可信度${p.match_confidence}%）` : '尚未匹配到星球打卡记录',
        });
        return true;
      });
    },
    onRetry() {
      this.reload();
    },
  },
});
