// The tab bar of app.json (a test keeps the two the same) and navigation that picks
// switchTab for tab pages (which take no query) and navigateTo for the others.
const TAB_PAGES = [
  'pages/sessions/index',
  'pages/waitlist/index',
  'pages/makeup/index',
  'pages/notifications/index',
  'pages/mine/index',
];
const NOTIFICATIONS_TAB = TAB_PAGES.indexOf('pages/notifications/index');

/** "pages/x?id=1" or "/pages/x?id=1" → {path: "pages/x", url: "/pages/x?id=1"}. @param {string} url */
function split(url) {
  const clean = String(url || '').trim().replace(/^\/+/, '');
  const path = clean.split('?')[0];
  return { path, url: clean ? `/${clean}` : '' };
}

/** @param {string} url */
function isTab(url) {
  return TAB_PAGES.indexOf(split(url).path) >= 0;
}

/**
 * Opens a page of this mini-program, given as app.json spells it, with or without a leading
 * slash and a query.
 * @param {string} url
 */
function go(url) {
  const { path, url: full } = split(url);
  if (!path) return;
  if (TAB_PAGES.indexOf(path) >= 0) {
    wx.switchTab({ url: `/${path}` });
    return;
  }
  wx.navigateTo({
    url: full,
    // ten pages deep (WeChat's limit): replace the current page instead
    fail: () => wx.redirectTo({ url: full }),
  });
}

module.exports = { TAB_PAGES, NOTIFICATIONS_TAB, split, isTab, go };
