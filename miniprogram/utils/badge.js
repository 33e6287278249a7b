// The unread count on the 消息 tab (wx.setTabBarBadge). Pages that learn the count call show();
// tab pages call refresh() when they are shown.
const api = require('./api');
const { NOTIFICATIONS_TAB } = require('./tabs');

let last = -1;

/** @param {number} count unread notifications */
function show(count) {
  const n = Math.max(0, Number(count) || 0);
  last = n;
  const noop = () => {};
  if (n > 0) wx.setTabBarBadge({ index: NOTIFICATIONS_TAB, text: n > 99 ? '99+' : String(n), fail: noop });
  else wx.removeTabBarBadge({ index: NOTIFICATIONS_TAB, fail: noop });
  return n;
}

/** Asks the server for the unread count (one item of page 1) and shows it. Never rejects. */
function refresh() {
  return api
    .notifications({ page: 1, page_size: 1 })
    .then((data) => (data && typeof data.unread_count === 'number' ? show(data.unread_count) : last))
    .catch(() => last);
}

module.exports = { show, refresh, current: () => last };
