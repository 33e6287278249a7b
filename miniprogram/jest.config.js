// Run the suite in a zone far from the club's: times must come out in UTC+8 regardless.
process.env.TZ = 'America/Los_Angeles';

module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/**/*.test.js'],
  snapshotSerializers: ['miniprogram-simulate/jest-snapshot-plugin'],
  clearMocks: true,
  restoreMocks: true,
  collectCoverageFrom: ['utils/**/*.js', 'components/**/*.js', 'pages/**/*.js', 'app.js'],
};
