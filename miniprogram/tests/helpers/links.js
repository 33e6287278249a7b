// Collects every mini-program page path that code emits: the backend's notification pages
// (Rust string literals under ../activities/src and ../api/src), and the app's own navigation
// (string literals in its JS, attribute values in its WXML), so a test can hold them against
// app.json. Read-only; no other file is touched.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const REPO = path.resolve(ROOT, '..');
const SKIP = new Set(['node_modules', 'miniprogram_npm', 'tests', 'scripts', 'docs', 'coverage', 'screenshots']);

/** Files under `dir` whose name ends with one of `exts`. */
function walk(dir, exts, skip = new Set()) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return skip.has(e.name) ? [] : walk(full, exts, skip);
    return exts.some((x) => e.name.endsWith(x)) ? [full] : [];
  });
}

/**
 * String literals of a JS or Rust source ('…', "…", `…`), comments skipped.
 * @param {string} src @param {{backtick?: boolean, single?: boolean}} opts
 */
function literals(src, opts = {}) {
  const quotes = ['"'].concat(opts.single ? ["'"] : [], opts.backtick ? ['`'] : []);
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i += 1;
    } else if (c === '/' && next === '*') {
      i = src.indexOf('*/', i + 2);
      if (i < 0) break;
      i += 2;
    } else if (quotes.indexOf(c) >= 0) {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') {
          s += src[j + 1];
          j += 2;
        } else {
          s += src[j];
          j += 1;
        }
      }
      out.push(s);
      i = j + 1;
    } else if (c === "'" && !opts.single) {
      // a Rust char literal ('"', '\'') or a lifetime ('a): step over it
      if (next === '\\') i = src.indexOf("'", i + 3) + 1 || src.length;
      else if (src[i + 2] === "'") i += 3;
      else i += 1;
    } else if (!opts.single && c === 'r' && next === '#' && src[i + 2] === '"') {
      // a Rust raw string r#"…"#
      const end = src.indexOf('"#', i + 3);
      out.push(src.slice(i + 3, end < 0 ? src.length : end));
      i = end < 0 ? src.length : end + 2;
    } else {
      i += 1;
    }
  }
  return out;
}

const PAGE = /(?:^|[^A-Za-z0-9_./-])\/?(pages\/[A-Za-z0-9_\-/]*)/g;

/**
 * Page paths inside a piece of text: "pages/x/y?id=1" → "pages/x/y". A path ending in "/" is
 * built at run time and cannot be checked: it is returned as is, so the test rejects it.
 * @param {string} text
 */
function pagesIn(text) {
  const found = [];
  let m;
  PAGE.lastIndex = 0;
  while ((m = PAGE.exec(text))) found.push(m[1]);
  return found;
}

/** @returns {{page: string, file: string}[]} */
function fromFiles(files, extract) {
  return files.flatMap((file) => {
    const src = fs.readFileSync(file, 'utf8');
    return extract(src).flatMap((s) => pagesIn(s).map((page) => ({ page, file: path.relative(REPO, file) })));
  });
}

/** Pages the backend puts into notifications and subscribe messages. */
function backendPages() {
  const files = walk(path.join(REPO, 'activities', 'src'), ['.rs']).concat(walk(path.join(REPO, 'api', 'src'), ['.rs']));
  return { files, pages: fromFiles(files, (src) => literals(withoutTests(src))) };
}

/** A Rust file without its `#[cfg(test)]` module: tests name wrong pages on purpose. */
function withoutTests(src) {
  const at = src.indexOf('#[cfg(test)]');
  return at < 0 ? src : src.slice(0, at);
}

/** Pages the app navigates to (JS literals and WXML). */
function appPages() {
  const js = walk(ROOT, ['.js'], SKIP).filter((f) => !/\.config\.js$/.test(f));
  const wxml = walk(ROOT, ['.wxml'], SKIP);
  return fromFiles(js, (src) => literals(src, { single: true, backtick: true })).concat(fromFiles(wxml, (src) => [src]));
}

/** Pages inside the demo data and the recorded service answers (`data.page`). */
function dataPages() {
  const files = [path.join(ROOT, 'tests', 'fixtures.js')].concat(walk(path.join(ROOT, 'tests', 'contract'), ['.json']));
  return fromFiles(files.filter((f) => fs.existsSync(f)), (src) => literals(src, { single: true, backtick: true }));
}

/** The pages registered in app.json. */
function registered() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')).pages;
}

module.exports = { withoutTests, backendPages, appPages, dataPages, registered, pagesIn, literals };
