// Every link lands: each page a notification, a subscribe message or a button opens is a page
// registered in app.json (WeChat rejects an unregistered `page` with errcode 41030, and
// navigateTo to one fails). Reads the backend's Rust sources read-only.
const fs = require('fs');
const path = require('path');
const { withoutTests, backendPages, appPages, dataPages, registered, pagesIn, literals } = require('./helpers/links');
const { TAB_PAGES } = require('../utils/tabs');
const { ROOT } = require('./helpers/mount');

const pages = new Set(registered());
const unregistered = (list) => list.filter((l) => !pages.has(l.page)).map((l) => `${l.file}: ${l.page}`);

test('every page the backend sends (activities/src, api/src) is registered in app.json', () => {
  const { files, pages: found } = backendPages();
  expect(files.length).toBeGreaterThan(0);
  // the known emitters (offer notices, waitlist expiry, credit reminders) are seen
  expect(found.length).toBeGreaterThanOrEqual(3);
  expect(unregistered(found)).toEqual([]);
});

test('every page the app opens (JS and WXML) is registered in app.json', () => {
  const found = appPages();
  expect(found.length).toBeGreaterThan(20);
  expect(unregistered(found)).toEqual([]);
});

test('every page in the demo data and the recorded service answers is registered', () => {
  expect(unregistered(dataPages())).toEqual([]);
});

test('the tab bar of app.json and utils/tabs.js agree (switchTab needs to know)', () => {
  const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
  expect(app.tabBar.list.map((t) => t.pagePath)).toEqual(TAB_PAGES);
});

test('the collector finds pages where they hide, and would catch a wrong one', () => {
  expect(pagesIn('format!("pages/waitlist/offer/index?id={}", r.id)')).toEqual(['pages/waitlist/offer/index']);
  expect(pagesIn('`/pages/makeup/select?pending_id=${id}`')).toEqual(['pages/makeup/select']);
  expect(pagesIn('url: "/pages/x/" + name')).toEqual(['pages/x/']);
  expect(pagesIn('nopages/here and src/pages/not')).toEqual([]);
  const rust = 'let a = \'x\'; // "pages/in/comment"\n let p = "pages/makeup/compensation/index"; /* "pages/no" */';
  expect(literals(rust).flatMap(pagesIn)).toEqual(['pages/makeup/compensation/index']);
  expect(literals('let q = \'"\'; let e = \'\\\'\'; let p = r#"{"page": "pages/a/b"}"#; f::<\'a>("pages/c/d")').flatMap(pagesIn)).toEqual(['pages/a/b', 'pages/c/d']);
  expect(pages.has('pages/makeup/compensation/index')).toBe(false);
  // a Rust test module names wrong pages on purpose; the code above it is still read
  expect(literals(withoutTests('let p = "pages/a/b";\n#[cfg(test)]\nmod tests { "pages/wrong" }')).flatMap(pagesIn)).toEqual(['pages/a/b']);
});
