// Loading / empty (with an optional next-step button) / error (with retry) block shared by
// every page. Renders nothing when state is "ready".
Component({
  properties: {
    state: { type: String, value: 'loading' },
    emptyText: { type: String, value: '暂无数据' },
    emptyHint: { type: String, value: '' },
    errorText: { type: String, value: '加载失败' },
    actionText: { type: String, value: '' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
    onAction() {
      this.triggerEvent('action');
    },
  },
});
