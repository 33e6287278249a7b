// The real-service tier (./scripts/mini-real): the app's pages and request layer against the
// real API. Not part of `npm test` (it needs the service that script starts).
const path = require('path');

process.env.TZ = 'America/Los_Angeles';

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests-real/**/*.real.js'],
  testTimeout: 120000,
};
