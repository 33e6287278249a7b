// Does what WeChat DevTools' "构建 npm" does for our one UI dependency:
// copies @vant/weapp's `miniprogram` build into miniprogram_npm/ (gitignored).
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkgDir = path.join(root, 'node_modules', '@vant', 'weapp');
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const from = path.join(pkgDir, pkg.miniprogram || 'lib');
const to = path.join(root, 'miniprogram_npm', '@vant', 'weapp');

fs.rmSync(to, { recursive: true, force: true });
fs.mkdirSync(path.dirname(to), { recursive: true });
fs.cpSync(from, to, { recursive: true });
console.log(`copied @vant/weapp ${pkg.version} → ${path.relative(root, to)}`);
