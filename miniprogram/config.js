// Runtime configuration of the mini-program. Change these before uploading a build.
module.exports = {
  // Base URL of the waitlist & makeup API (no trailing slash).
  apiBase: 'http://127.0.0.1:8080',
  // Subscribe-message template ids are not configured here: they come from the service
  // (GET /api/v1/club → subscribe.moments), which knows which templates it can send.
  // The club's fixed UTC offset in minutes (Asia/Shanghai, UTC+8, no DST).
  clubUtcOffsetMinutes: 480,
  // How long wx.request waits before giving up (ms).
  requestTimeoutMs: 15000,
  // While a page shows an open offer, how often it re-checks that the seat is still there (ms).
  offerPollMs: 10000,
};
