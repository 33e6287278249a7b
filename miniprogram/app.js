// App entry: log in silently at launch so the first page's requests already carry a JWT; load
// the club profile (rules, subscribe templates); reload a page that failed offline once the
// network is back.
const auth = require('./utils/auth');
const club = require('./utils/club');

App({
  globalData: {},
  onLaunch() {
    auth
      .ensureToken()
      .then(() => club.load())
      .catch(() => {
        // pages show their own error state and log in again on their next request
      });
    if (typeof wx.onNetworkStatusChange === 'function') {
      wx.onNetworkStatusChange((res) => {
        if (!res.isConnected) return;
        const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : [];
        const top = /** @type {any} */ (pages[pages.length - 1]);
        if (top && typeof top.onNetworkBack === 'function') top.onNetworkBack();
      });
    }
  },
});
