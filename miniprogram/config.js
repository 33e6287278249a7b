// Runtime configuration of the mini-program. Change these before uploading a build.
module.exports = {
  // Base URL of the waitlist & makeup API (no trailing slash).
  apiBase: 'http://127.0.0.1:8080',
  // Subscribe-message template ids (WeChat MP console → 订阅消息). Placeholders until registered.
  templates: {
    spot_available: 'TEMPLATE_ID_SPOT_AVAILABLE',
    seat_taken: 'TEMPLATE_ID_SEAT_TAKEN',
    hold_for_you: 'TEMPLATE_ID_HOLD_FOR_YOU',
  },
  // The club's fixed UTC offset in minutes (Asia/Shanghai, UTC+8, no DST).
  clubUtcOffsetMinutes: 480,
  // How long wx.request waits before giving up (ms).
  requestTimeoutMs: 15000,
};
