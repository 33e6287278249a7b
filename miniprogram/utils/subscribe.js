// Subscribe-message grants (design N2, notes-wechat.md). WeChat only shows the request inside
// a tap handler, so `requestGrants` must be called synchronously from the tap, before any await:
// the template ids come from the club profile loaded earlier (GET /api/v1/club
// `subscribe.moments`), never from the code. No ids (WeChat off on the server) → no request.
const api = require('./api');
const club = require('./club');

const ANSWERS = ['accept', 'reject', 'ban', 'filter'];

/**
 * The per-template answers of a requestSubscribeMessage result, exactly as WeChat returned
 * them, without errMsg / errCode.
 * @param {Record<string, any>} res @param {string[]} ids
 */
function answers(res, ids) {
  /** @type {Record<string, string>} */
  const results = {};
  ids.forEach((id) => {
    if (ANSWERS.indexOf(res[id]) >= 0) results[id] = res[id];
  });
  return results;
}

/**
 * Asks for the given templates (≤ 3) and reports the answers to POST /api/v1/notifications/grants.
 * Never rejects: whatever the parent answers, the action that asked goes on.
 * @param {string[]} tmplIds
 * @returns {Promise<Record<string, string> | null>} the reported answers, null when nothing was asked or answered
 */
function requestTemplates(tmplIds) {
  const ids = (tmplIds || []).slice(0, 3);
  if (ids.length === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: ids,
      success: (res) => resolve(res),
      fail: () => resolve(null),
    });
  }).then((res) => {
    if (!res) return null;
    const results = answers(/** @type {any} */ (res), ids);
    if (Object.keys(results).length === 0) return null;
    return api.reportGrants(results).then(
      () => results,
      () => results,
    );
  });
}

/**
 * The templates of one moment: `waitlist_join` (seat open, seat held, seat taken),
 * `waitlist_auto_join` (booked for you, seat open, seat held: a join with auto-accept) or
 * `makeup_book` (makeup cancelled, credit expiring, makeup booked).
 * @param {'waitlist_join' | 'waitlist_auto_join' | 'makeup_book'} moment
 */
function requestGrants(moment) {
  return requestTemplates(club.momentTemplateIds(moment));
}

/**
 * The join tap's templates; with auto-accept the parent must hear of the booking made for them
 * (`seat_confirmed`), so that moment is asked for instead (the join moment if the service has
 * none). @param {boolean} [autoAccept]
 */
function requestWaitlistGrants(autoAccept) {
  const auto = autoAccept ? club.momentTemplateIds('waitlist_auto_join') : [];
  return auto.length ? requestTemplates(auto) : requestGrants('waitlist_join');
}

module.exports = {
  requestGrants,
  requestTemplates,
  requestWaitlistGrants,
  requestMakeupGrants: () => requestGrants('makeup_book'),
};
