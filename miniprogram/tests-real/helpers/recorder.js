// Records what the real service answered, per route (ids → {id}), for the contract files the
// jest fixtures are checked against (tests/contract/recorded.json): one sample (the richest
// answer) and the shape merged over every answer of the run. With MINI_REAL_RECORD=1 the run
// rewrites the file; otherwise the run checks that the live shapes still match it.
const fs = require('fs');
const path = require('path');
const { shapeOf, mergeShapes } = require('../../tests/helpers/shapes');

const FILE = path.resolve(__dirname, '..', '..', 'tests', 'contract', 'recorded.json');
/** @type {Record<string, {status: number, sample: any, shape: any}>} */
const routes = {};

/** "/api/v1/waitlist/12/respond" → "/api/v1/waitlist/{id}/respond" */
function pattern(pathname) {
  return pathname.replace(/\/\d+(?=\/|$)/g, '/{id}');
}

/** Tokens are secrets: the sample keeps their place, not their value. */
function scrub(data) {
  if (!data || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map(scrub);
  const out = {};
  Object.keys(data).forEach((k) => {
    out[k] = k === 'token' && typeof data[k] === 'string' ? '<jwt>' : scrub(data[k]);
  });
  return out;
}

function record(method, pathname, status, body) {
  if (!body || typeof body !== 'object' || !('code' in body) || pathname.startsWith('/api/v1/admin')) return;
  const key = `${method} ${pattern(pathname)}${status >= 400 ? ` ${status}` : ''}`;
  const data = scrub(body.data);
  const prev = routes[key];
  const shape = prev ? mergeShapes(prev.shape, shapeOf(data)) : shapeOf(data);
  const richer = !prev || JSON.stringify(data).length > JSON.stringify(prev.sample).length;
  routes[key] = { status, sample: richer ? data : prev.sample, shape };
}

function recorded() {
  return routes;
}

function save() {
  const sorted = {};
  Object.keys(routes).sort().forEach((k) => {
    sorted[k] = routes[k];
  });
  fs.mkdirSync(path.dirname(FILE), { recursive: true });
  fs.writeFileSync(FILE, `${JSON.stringify(sorted, null, 1)}\n`);
}

function load() {
  return fs.existsSync(FILE) ? JSON.parse(fs.readFileSync(FILE, 'utf8')) : null;
}

module.exports = { record, recorded, save, load, FILE, pattern };
