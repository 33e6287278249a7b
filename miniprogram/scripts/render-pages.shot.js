// Renders every page of shots.js with demo data into screenshots/<name>.html (run by screenshots.js).
const fs = require('fs');
const path = require('path');
const { installWx } = require('../tests/helpers/wx-mock');
const { flush } = require('../tests/helpers/mount');
const fx = require('../tests/fixtures');
const shots = require('./shots');
const { frame } = require('./frame');

const ROOT = path.resolve(__dirname, '..');
const OUT = process.env.SHOTS_DIR || path.join(ROOT, 'screenshots');

/** Like tests/helpers/mount, but with rpx converted for a 375px-wide phone (1rpx = 0.5px). */
function mountForPicture(file) {
  let comp;
  jest.isolateModules(() => {
    const utils = require('miniprogram-simulate/src/utils');
    utils.transformRpx = (css) => css.replace(/(-?\d*\.?\d+)rpx/gi, (_m, n) => `${Number(n) / 2}px`);
    const simulate = require('miniprogram-simulate');
    comp = simulate.render(simulate.load(path.join(ROOT, file), { rootPath: ROOT }));
  });
  const parent = document.createElement('div');
  document.body.appendChild(parent);
  comp.attach(parent);
  return comp;
}

beforeAll(() => fs.mkdirSync(OUT, { recursive: true }));

shots.forEach((shot) => {
  test(shot.name, async () => {
    jest.useFakeTimers({ now: fx.NOW });
    document.head.innerHTML = '';
    document.body.innerHTML = '';
    const { wx } = installWx({ routes: shot.routes, setting: shot.setting });
    const page = mountForPicture(shot.route);
    page.instance.onLoad(shot.query || {});
    await flush();
    if (shot.then) {
      await shot.then(page);
      await flush();
    }
    const json = JSON.parse(fs.readFileSync(path.join(ROOT, `${shot.route}.json`), 'utf8'));
    const styles = Array.from(document.head.querySelectorAll('style')).map((s) => s.innerHTML).join('\n');
    // the tab badge as the page last left it (wx.setTabBarBadge / removeTabBarBadge, in call order)
    const badges = {};
    const calls = (mock, text) => mock.mock.calls.map((c, i) => ({ order: mock.mock.invocationCallOrder[i], index: c[0].index, text: text(c[0]) }));
    calls(wx.setTabBarBadge, (o) => o.text)
      .concat(calls(wx.removeTabBarBadge, () => ''))
      .sort((a, b) => a.order - b.order)
      .forEach((c) => {
        badges[c.index] = c.text;
      });
    const html = frame({ route: shot.route, title: json.navigationBarTitleText || '', body: page.dom.outerHTML, styles, badges });
    fs.writeFileSync(path.join(OUT, `${shot.name}.html`), html);
    page.detach();
    jest.useRealTimers();
  });
});
