// In-app popup for an urgent notification (a seat opened, a seat held for you), with countdown.
const URGENT_TYPES = ['spot_available', 'hold_for_you'];

Component({
  properties: {
    show: { type: Boolean, value: false },
    notification: { type: Object, value: {} },
  },
  data: {
    urgent: false,
    actionText: '查看详情',
    deadline: '',
  },
  observers: {
    notification(n) {
      const urgent = !!n && URGENT_TYPES.indexOf(n.type) >= 0;
      this.setData({
        urgent,
        actionText: urgent ? '立即预约' : '查看详情',
        deadline: (n && n.data && n.data.deadline) || '',
      });
    },
  },
  methods: {
    onAction() {
      this.triggerEvent('action', { notification: this.data.notification });
    },
    onClose() {
      this.triggerEvent('close');
    },
    onExpire() {
      this.setData({ actionText: '查看详情', urgent: false });
    },
    noop() {},
  },
});
