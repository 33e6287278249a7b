// Jest config used only by `npm run screenshots` (renders pages to HTML; not part of npm test).
const path = require('path');

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/scripts/render-pages.shot.js'],
};
