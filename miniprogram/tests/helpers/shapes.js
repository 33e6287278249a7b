// JSON shapes: what keys and value types an answer has, merged over many answers, so the demo
// fixtures can be held against what the real service sent (tests/contract/recorded.json).
//   {t: 'null'|'string'|'number'|'boolean'}  {t: 'array', items}  {t: 'object', keys: {k: shape}}
// A key seen in some objects only is `optional`; a value that was also null is `nullable`.

function shapeOf(v) {
  if (v === null || v === undefined) return { t: 'null' };
  if (Array.isArray(v)) return { t: 'array', items: v.reduce((acc, x) => (acc ? mergeShapes(acc, shapeOf(x)) : shapeOf(x)), null) };
  if (typeof v === 'object') {
    const keys = {};
    Object.keys(v).forEach((k) => {
      keys[k] = shapeOf(v[k]);
    });
    return { t: 'object', keys };
  }
  return { t: typeof v };
}

function mergeShapes(a, b) {
  if (!a) return b;
  if (!b) return a;
  if (a.t === 'null' && b.t === 'null') return a;
  if (a.t === 'null') return { ...b, nullable: true };
  if (b.t === 'null') return { ...a, nullable: true };
  const nullable = a.nullable || b.nullable ? { nullable: true } : {};
  if (a.t !== b.t) return { t: 'mixed', of: [a.t, b.t], ...nullable };
  if (a.t === 'array') return { t: 'array', items: mergeShapes(a.items, b.items), ...nullable };
  if (a.t === 'object') {
    const keys = {};
    const names = new Set(Object.keys(a.keys).concat(Object.keys(b.keys)));
    names.forEach((k) => {
      const x = a.keys[k];
      const y = b.keys[k];
      const merged = mergeShapes(x, y);
      keys[k] = x && y && !x.optional && !y.optional ? { ...merged, optional: undefined } : { ...merged, optional: true };
      if (!keys[k].optional) delete keys[k].optional;
    });
    return { t: 'object', keys, ...nullable };
  }
  return { t: a.t, ...nullable };
}

/**
 * Differences of a fixture's shape from the service's: keys the service does not send, keys it
 * always sends that the fixture lacks, other types. `open` lists paths whose keys vary by
 * design (a notification's data, maps keyed by course type or template id).
 * @returns {string[]}
 */
function compareShapes(service, fixture, path = '', open = []) {
  if (!service || !fixture) return [];
  if (fixture.t === 'null') return [];
  if (service.t === 'null') return [];
  if (service.t === 'mixed') return service.of.indexOf(fixture.t) >= 0 ? [] : [`${path || '.'}: ${fixture.t}, the service sends ${service.of.join('/')}`];
  if (service.t !== fixture.t) return [`${path || '.'}: ${fixture.t}, the service sends ${service.t}`];
  if (service.t === 'array') return compareShapes(service.items, fixture.items, `${path}[]`, open);
  if (service.t !== 'object') return [];
  const problems = [];
  const isOpen = open.indexOf(path) >= 0;
  Object.keys(fixture.keys).forEach((k) => {
    const at = path ? `${path}.${k}` : k;
    if (!service.keys[k]) {
      if (!isOpen) problems.push(`${at}: not sent by the service`);
      return;
    }
    problems.push(...compareShapes(service.keys[k], fixture.keys[k], at, open));
  });
  if (!isOpen) {
    Object.keys(service.keys).forEach((k) => {
      const at = path ? `${path}.${k}` : k;
      if (service.keys[k].optional) return;
      if (!fixture.keys[k]) problems.push(`${at}: sent by the service, missing in the fixture`);
      else if (fixture.keys[k].optional) problems.push(`${at}: sent by the service, missing in some fixture items`);
    });
  }
  return problems;
}

module.exports = { shapeOf, mergeShapes, compareShapes };
