// Wraps a rendered page in a phone frame: status bar, WeChat navigation bar, tab bar.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
// app.wxss as a browser sees it: `page` is the body, 1rpx = 0.5px on a 375px-wide phone.
const APP_CSS = fs
  .readFileSync(path.join(ROOT, 'app.wxss'), 'utf8')
  .replace(/\bpage\s*\{/g, 'body {')
  .replace(/(-?\d*\.?\d+)rpx/g, (_m, n) => `${Number(n) / 2}px`);

const BASE_CSS = `
html, body { margin: 0; padding: 0; width: 375px; height: 812px; overflow: hidden; background: #f7f8fa;
  font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', sans-serif; font-size: 14px; color: #323233;
  -webkit-font-smoothing: antialiased; }
* { box-sizing: border-box; }
wx-view, wx-scroll-view, wx-form { display: block; }
wx-text { display: inline; }
wx-scroll-view { overflow: hidden; }
wx-button { display: block; margin: 0; padding: 0; border: 0; background: none; font: inherit; }
wx-image { display: inline-block; }
wx-input { display: block; line-height: 40px; }
.statusbar { height: 44px; padding: 0 24px; display: flex; justify-content: space-between; align-items: center;
  font-size: 14px; font-weight: 600; background: #fff; }
.nav { position: relative; height: 44px; display: flex; align-items: center; justify-content: center; background: #fff;
  font-size: 17px; font-weight: 600; border-bottom: 1px solid #f0f0f0; }
.nav-back { position: absolute; left: 12px; top: 9px; font-size: 22px; font-weight: 400; line-height: 24px; }
.capsule { position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; border-radius: 16px;
  border: 1px solid #e5e5e5; display: flex; align-items: center; justify-content: space-around; font-size: 14px; color: #333; }
.capsule i { width: 1px; height: 18px; background: #e5e5e5; }
.content { position: absolute; top: 89px; left: 0; right: 0; bottom: 0; overflow: hidden; transform: translateZ(0); }
.content.with-tabs { bottom: 56px; }
.tabbar { position: absolute; left: 0; right: 0; bottom: 0; height: 56px; display: flex; background: #fff;
  border-top: 1px solid #e5e5e5; }
.tab { flex: 1; display: flex; align-items: center; justify-content: center; font-size: 13px; color: ${app.tabBar.color}; }
.tab-on { color: ${app.tabBar.selectedColor}; font-weight: 600; }
.tab { position: relative; }
.badge { position: absolute; top: 8px; left: 50%; margin-left: 12px; min-width: 16px; height: 16px; padding: 0 4px;
  border-radius: 8px; background: #ee0a24; color: #fff; font-size: 11px; line-height: 16px; text-align: center; }
`;

/**
 * @param {{route: string, title: string, body: string, styles: string, badges?: Record<number, string>}} page
 */
function frame({ route, title, body, styles, badges = {} }) {
  const tabs = app.tabBar.list;
  const isTab = tabs.some((t) => t.pagePath === route);
  const tabbar = isTab
    ? `<div class="tabbar">${tabs
      .map((t, i) => `<div class="tab ${t.pagePath === route ? 'tab-on' : ''}">${t.text}${badges[i] ? `<span class="badge">${badges[i]}</span>` : ''}</div>`)
      .join('')}</div>`
    : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title>
<style>${BASE_CSS}</style><style>${APP_CSS}</style><style>${styles}</style></head><body>
<div class="statusbar"><span>12:40</span><span>WeChat</span><span>100%</span></div>
<div class="nav">${isTab ? '' : '<span class="nav-back">‹</span>'}${title}<div class="capsule">•••<i></i>◎</div></div>
<div class="content ${isTab ? 'with-tabs' : ''}">${body}</div>
${tabbar}
</body></html>`;
}

module.exports = { frame, app };
