// npm run screenshots: renders every page with demo data (jest + miniprogram-simulate) and
// photographs each with headless Chromium into screenshots/*.png.
// Needs: apt-get install -y chromium fonts-noto-cjk
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'screenshots');
const SCALE = process.env.SHOTS_SCALE || '2';

function findChromium() {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter(Boolean);
  for (const c of candidates) {
    const r = spawnSync('which', [c], { encoding: 'utf8' });
    if (r.status === 0) return r.stdout.trim();
  }
  throw new Error('Chromium not found: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM=/path)');
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
execFileSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', path.join(__dirname, 'screenshots.jest.config.js')], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, SHOTS_DIR: OUT },
});

const chromium = findChromium();
const pages = fs.readdirSync(OUT).filter((f) => f.endsWith('.html')).sort();
pages.forEach((file) => {
  const png = path.join(OUT, file.replace(/\.html$/, '.png'));
  spawnSync(
    chromium,
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--hide-scrollbars', `--screenshot=${png}`, '--window-size=375,812',
      `--force-device-scale-factor=${SCALE}`, `file://${path.join(OUT, file)}`,
    ],
    { stdio: 'ignore', timeout: 60000 },
  );
  const ok = fs.existsSync(png);
  console.log(`${ok ? '✓' : '✗'} ${path.relative(ROOT, png)}${ok ? ` (${Math.round(fs.statSync(png).size / 1024)} KB)` : ''}`);
  if (!ok) process.exitCode = 1;
});
