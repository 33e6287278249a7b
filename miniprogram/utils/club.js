// The club's profile from GET /api/v1/club: name, phone, the rules in force and the
// subscribe-message template ids. Loaded once per launch (kept in storage for the next cold
// start, so a tap right after launch still knows which templates to ask for).
const api = require('./api');
const storage = require('./storage');

/** @type {any} */
let current = null;
/** @type {Promise<any> | null} */
let inFlight = null;

/** The club as last loaded (this launch or, failing that, the previous one), or null. */
function peek() {
  if (current) return current;
  const saved = storage.get(storage.KEYS.club);
  return saved && typeof saved === 'object' ? saved : null;
}

/**
 * Loads the club (once per launch unless `force`). Rejects on failure; pages that only
 * decorate with it catch and go on with `peek()`.
 * @param {{force?: boolean}} [options]
 */
function load(options = {}) {
  if (current && !options.force) return Promise.resolve(current);
  if (!inFlight) {
    inFlight = api
      .club()
      .then((data) => {
        current = data || {};
        storage.set(storage.KEYS.club, current);
        return current;
      })
      .finally(() => {
        inFlight = null;
      });
  }
  return inFlight;
}

/** Like load(), but resolves with the last known club (or null) when the service is unreachable. */
function loadQuietly() {
  return load().catch(() => peek());
}

/**
 * The rules for one course type, falling back to the club default.
 * @param {any} club @param {string} [courseType]
 */
function rulesFor(club, courseType) {
  const rules = (club && club.rules) || null;
  if (!rules) return null;
  const byType = rules.by_course_type || {};
  return (courseType && byType[courseType]) || rules.default || null;
}

/**
 * Template ids to request at a moment (`waitlist_join`, `makeup_book`), at most three
 * (WeChat's limit per request). Synchronous: it is read inside a tap handler.
 * @param {'waitlist_join' | 'waitlist_auto_join' | 'makeup_book'} moment
 * @returns {string[]}
 */
function momentTemplateIds(moment) {
  const club = peek();
  const ids = (club && club.subscribe && club.subscribe.moments && club.subscribe.moments[moment]) || [];
  return ids.filter((id) => typeof id === 'string' && id).slice(0, 3);
}

/** notification type → template id, for the types the server can send by WeChat. */
function templates() {
  const club = peek();
  return (club && club.subscribe && club.subscribe.templates) || {};
}

/** Forgets the loaded club (tests, logout). */
function reset() {
  current = null;
  inFlight = null;
}

module.exports = { load, loadQuietly, peek, rulesFor, momentTemplateIds, templates, reset };
