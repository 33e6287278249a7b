// Compensation minutes: balance, credits by expiry (earliest first), and the ledger.
const loadable = require('../../behaviors/loadable');
const api = require('../../utils/api');
const time = require('../../utils/time');
const club = require('../../utils/club');
const { ruleTexts } = require('../../utils/rules');

const DAY = 24 * 60 * 60 * 1000;
const KINDS = {
  created: { label: '获得补偿', sign: '+' },
  used: { label: '抵扣使用', sign: '-' },
  restored: { label: '取消退回', sign: '+' },
  expired: { label: '过期失效', sign: '-' },
  revoked: { label: '取消撤回', sign: '-' },
};

Component({
  behaviors: [loadable],
  data: {
    totalText: '0分钟',
    credits: [],
    history: [],
    ruleText: '',
  },
  methods: {
    onLoad() {
      this.reload();
    },
    fetch() {
      return Promise.all([
        api.compensationBalance(),
        api.compensationHistory(),
        api.profiles().catch(() => ({ items: [] })),
        club.loadQuietly(),
      ]).then(([balance, history, profiles, c]) => {
        /** @type {Record<number, string>} */
        const names = {};
        ((profiles && profiles.items) || []).forEach((p) => {
          names[p.id] = p.name;
        });
        const now = Date.now();
        const rules = club.rulesFor(c);
        const reminderMs = ((rules && rules.compensation_reminder_seconds) || 2 * 86400) * 1000;
        const credits = ((balance && balance.credits) || []).map((c) => {
          const daysLeft = Math.max(0, Math.ceil((time.toMs(c.expires_at) - now) / DAY));
          return {
            ...c,
            child: names[c.profile_id] || '',
            minutesText: time.formatMinutes(c.remaining_minutes),
            expiresText: time.formatDateTime(c.expires_at),
            daysLeftText: daysLeft <= 1 ? '即将过期' : `${daysLeft}天后过期`,
            soon: time.toMs(c.expires_at) - now <= reminderMs,
          };
        });
        const ledger = ((history && history.items) || []).map((h, i) => {
          const kind = /** @type {any} */ (KINDS)[h.kind] || { label: h.kind, sign: '' };
          return {
            ...h,
            key: `${h.credit_id}-${h.kind}-${i}`,
            child: names[h.profile_id] || '',
            label: kind.label,
            amount: `${kind.sign}${time.formatMinutes(h.minutes)}`,
            plus: kind.sign === '+',
            atText: time.formatDateTime(h.at),
          };
        });
        const t = ruleTexts(club.rulesFor(c));
        const ruleText = `课时补偿自生成起${t.validDays ? `${t.validDays}内有效` : '有有效期'}${t.reminder ? `，到期前${t.reminder}会提醒您` : ''}；使用时先用最早到期的；取消补课时，已用的补偿会按原有效期退回。`;
        this.setData({ ruleText, totalText: time.formatMinutes((balance && balance.total_minutes) || 0), credits, history: ledger });
        return true;
      });
    },
  },
});
