// 规则说明: the waitlist and makeup rules in plain words, with the numbers the club has set
// (GET /api/v1/club rules), never fixed texts.
const loadable = require('../../behaviors/loadable');
const club = require('../../utils/club');
const { ruleTexts } = require('../../utils/rules');

const TYPE_NAMES = { group: '小班课', vip: 'VIP课', private: '私教课' };

/** The sections of the page for one set of rules. @param {any} rules */
function sections(rules) {
  const t = ruleTexts(rules);
  return [
    {
      key: 'queue',
      title: '课程满员时：加入候补',
      lines: [
        `满员的课可以加入候补${t.capacity ? `，每节课最多${t.capacity}候补` : ''}，按加入的先后排队。`,
        '有人取消或请假空出名额时，所有候补的家长会同时收到通知。',
      ],
    },
    {
      key: 'first',
      title: '先确认先得',
      lines: [
        `收到通知后${t.window ? `${t.window}内` : '尽快'}点「立即预约」并确认，谁先确认名额就是谁的，其他家长会收到“名额已被抢占”。`,
        t.grace ? `在截止前点了「立即预约」的，截止后还有${t.grace}可以完成确认（以开始时间为准）。` : '在截止前点了「立即预约」的，以开始时间为准。',
      ],
    },
    {
      key: 'hold',
      title: '没人确认：按顺序保留',
      lines: [
        `如果时限内没人确认，名额会为排在第一位的家长保留${t.hold || '一段时间'}；他不要或没回复，就顺延给下一位。`,
        '保留期间没回复的家长会退出这次候补，后面的家长位置自动前移。',
      ],
    },
    {
      key: 'cutoff',
      title: '候补截止',
      lines: [
        t.cutoff ? `开课前${t.cutoff}停止候补：之后空出的名额不再通知，还在排队的候补自动结束。` : '临近开课时停止候补：之后空出的名额不再通知，还在排队的候补自动结束。',
      ],
    },
    {
      key: 'makeup',
      title: '请假与补课',
      lines: [
        '上课前请假，会生成一条“待补课”，可以免费（¥0）另约一节同类型、同级或更低级别的课。',
        t.makeupCancel ? `约好的补课在开课前${t.makeupCancel}以前可以取消，取消后可以重新选。` : '约好的补课在截止时间前可以取消，取消后可以重新选。',
      ],
    },
    {
      key: 'credit',
      title: '课时补偿',
      lines: [
        `补课比原来的课短，少的分钟数会记为课时补偿，${t.validDays ? `${t.validDays}内有效` : '有有效期'}${t.reminder ? `，到期前${t.reminder}会提醒您` : ''}。`,
        '约更长的补课时可以用补偿抵扣多出的时间；有几笔补偿时，先用最早到期的。',
      ],
    },
  ];
}

/** Course types whose rules differ from the default, as short lines. @param {any} all */
function differences(all) {
  const base = ruleTexts(all.default);
  const byType = all.by_course_type || {};
  return Object.keys(byType)
    .map((type) => {
      const t = ruleTexts(byType[type]);
      const parts = [];
      if (t.capacity !== base.capacity && t.capacity) parts.push(`最多${t.capacity}候补`);
      if (t.window !== base.window && t.window) parts.push(`确认时限${t.window}`);
      if (t.hold !== base.hold && t.hold) parts.push(`保留${t.hold}`);
      if (t.cutoff !== base.cutoff && t.cutoff) parts.push(`开课前${t.cutoff}截止`);
      if (t.validDays !== base.validDays && t.validDays) parts.push(`补偿${t.validDays}有效`);
      return parts.length ? { type, name: /** @type {any} */ (TYPE_NAMES)[type] || type, text: parts.join('，') } : null;
    })
    .filter(Boolean);
}

Component({
  behaviors: [loadable],
  data: {
    sections: [],
    differences: [],
    clubName: '',
  },
  methods: {
    onLoad() {
      this.reload();
    },
    fetch() {
      return club.load().then((c) => {
        const rules = (c && c.rules) || {};
        this.setData({
          sections: sections(rules.default),
          differences: rules.default ? differences(rules) : [],
          clubName: (c && c.name) || '',
        });
        return true;
      });
    },
  },
});
