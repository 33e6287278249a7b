// Loading / empty / error / ready state for a page, with pull-to-refresh and retry.
// A page using it implements `fetch()` → Promise<boolean> (true when there is something to show).
module.exports = Behavior({
  data: {
    state: 'loading',
    errorText: '',
    refreshing: false,
  },
  methods: {
    /** Loads (or reloads) the page; never rejects. */
    reload() {
      const first = this.data.state !== 'ready' && this.data.state !== 'empty';
      if (first) this.setData({ state: 'loading', errorText: '' });
      return Promise.resolve()
        .then(() => /** @type {any} */ (this).fetch())
        .then((hasContent) => {
          this.setData({ state: hasContent ? 'ready' : 'empty', errorText: '' });
        })
        .catch((err) => {
          const message = (err && err.message) || '加载失败';
          if (first) this.setData({ state: 'error', errorText: message });
          else wx.showToast({ title: message, icon: 'none' });
        })
        .then(() => {
          wx.stopPullDownRefresh();
        });
    },
    onPullDownRefresh() {
      return this.reload();
    },
    onRetry() {
      this.setData({ state: 'loading' });
      return this.reload();
    },
    /** The phone is online again (app.js): a page that failed to load tries again by itself. */
    onNetworkBack() {
      if (this.data.state === 'error') return this.onRetry();
      return Promise.resolve();
    },
  },
});
