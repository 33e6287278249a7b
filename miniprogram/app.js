// App entry: log in silently at launch so the first page's requests already carry a JWT.
const auth = require('./utils/auth');

App({
  globalData: {},
  onLaunch() {
    auth.ensureToken().catch(() => {
      // pages show their own error state and log in again on their next request
    });
  },
});
