// Subscribe-message grants for the waitlist templates. Must be started inside a tap handler.
const config = require('../config');
const api = require('./api');

/** The three waitlist templates, in a fixed order (WeChat allows at most 3 per request). */
function waitlistTemplateIds() {
  const t = config.templates;
  return [t.spot_available, t.seat_taken, t.hold_for_you];
}

/**
 * Asks the parent for the waitlist templates and reports the answer to the server exactly as
 * WeChat returned it (minus errMsg). Never rejects: joining the waitlist goes on regardless.
 * @returns {Promise<Record<string, string> | null>} the reported results, null if none
 */
function requestWaitlistGrants() {
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: waitlistTemplateIds(),
      success: (res) => resolve(res),
      fail: () => resolve(null),
    });
  }).then((res) => {
    if (!res) return null;
    /** @type {Record<string, string>} */
    const results = {};
    Object.keys(res).forEach((key) => {
      if (key !== 'errMsg') results[key] = /** @type {any} */ (res)[key];
    });
    if (Object.keys(results).length === 0) return null;
    return api.reportGrants(results).then(
      () => results,
      () => results,
    );
  });
}

module.exports = { requestWaitlistGrants, waitlistTemplateIds };
