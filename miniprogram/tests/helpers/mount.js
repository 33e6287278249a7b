// Loads a page or component from the mini-program with miniprogram-simulate.
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Lets queued promise callbacks (wx.request replies, setData chains) run. */
async function flush(times = 30) {
  for (let i = 0; i < times; i += 1) {
    await Promise.resolve();
  }
}

/**
 * Renders a component (or a page built with Component()) and attaches it to a fresh parent.
 * @param {string} file path from the mini-program root without extension, e.g. "pages/waitlist/index"
 * @param {Record<string, any>} [props]
 */
function mount(file, props) {
  let comp;
  jest.isolateModules(() => {
    const simulate = require('miniprogram-simulate');
    const id = simulate.load(path.join(ROOT, file), { rootPath: ROOT });
    comp = simulate.render(id, props);
  });
  const parent = document.createElement('div');
  document.body.appendChild(parent);
  comp.attach(parent);
  return comp;
}

/**
 * Mounts a page and runs its onLoad(query), then lets its first requests settle.
 * @param {string} route e.g. "pages/waitlist/index"
 * @param {Record<string, string>} [query]
 */
async function mountPage(route, query = {}) {
  const page = mount(route);
  page.instance.onLoad(query);
  await flush();
  return page;
}

/** Text of the first element matching a selector inside a component, '' if none. */
function text(comp, selector) {
  const el = comp.querySelector(selector);
  return el ? el.dom.textContent.replace(/\s+/g, ' ').trim() : '';
}

/** Whole visible text of a component. */
function allText(comp) {
  return comp.dom.textContent.replace(/\s+/g, ' ').trim();
}

/** Dispatches a tap and lets its handler run. */
async function tap(comp, selector) {
  const el = selector ? comp.querySelector(selector) : comp;
  if (!el) throw new Error(`nothing matches ${selector}`);
  el.dispatchEvent('tap');
  await flush();
}

module.exports = { ROOT, flush, mount, mountPage, text, allText, tap };
