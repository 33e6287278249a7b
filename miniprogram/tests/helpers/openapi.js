// A small, strict validator for the service's OpenAPI 3.1 document (tests/contract/openapi.json):
// enough JSON Schema for what utoipa generates — $ref, type (also as a list with "null"),
// properties/required, additionalProperties, items, oneOf/anyOf/allOf, enum, formats date and
// date-time, integer. Strict on purpose: a property the schema does not list is an error (the
// service would never send it), unless the schema is a free-form object.

/** @param {any} doc @param {string} ref "#/components/schemas/Entry" */
function resolve(doc, ref) {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, key) => node && node[key], doc);
}

/** allOf as one object schema, so strictness sees every branch's properties. */
function merged(doc, schema) {
  const out = { type: 'object', properties: {}, required: [] };
  schema.allOf.forEach((part) => {
    const s = part.$ref ? resolve(doc, part.$ref) : part;
    const flat = s.allOf ? merged(doc, s) : s;
    Object.assign(out.properties, flat.properties || {});
    out.required = out.required.concat(flat.required || []);
  });
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * @param {any} doc the OpenAPI document
 * @param {any} schema
 * @param {any} value
 * @param {string} [at] where in the value (for messages)
 * @returns {string[]} problems, empty when valid
 */
function validate(doc, schema, value, at = '$') {
  if (!schema || schema === true) return [];
  if (schema.$ref) return validate(doc, resolve(doc, schema.$ref), value, at);
  if (schema.allOf) return validate(doc, merged(doc, schema), value, at);
  if (schema.oneOf || schema.anyOf) {
    const options = schema.oneOf || schema.anyOf;
    const results = options.map((s) => validate(doc, s, value, at));
    if (results.some((r) => r.length === 0)) return [];
    return [`${at}: matches none of ${options.length} alternatives (${results.map((r) => r[0]).join(' | ')})`];
  }
  const problems = [];
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (schema.nullable) types.push('null');
    const t = typeOf(value);
    const ok = types.indexOf(t) >= 0 || (t === 'integer' && types.indexOf('number') >= 0);
    if (!ok) return [`${at}: ${t} ${JSON.stringify(value)}, expected ${types.join('|')}`];
  }
  if (value === null) return [];
  if (schema.enum && schema.enum.indexOf(value) < 0) problems.push(`${at}: ${JSON.stringify(value)} not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string' && schema.format === 'date' && !DATE.test(value)) problems.push(`${at}: not a date: ${value}`);
  if (typeof value === 'string' && schema.format === 'date-time' && !DATE_TIME.test(value)) problems.push(`${at}: not an RFC 3339 instant: ${value}`);
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${at}: ${value} < ${schema.minimum}`);
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => problems.push(...validate(doc, schema.items, v, `${at}[${i}]`)));
  if (typeOf(value) === 'object') {
    const props = schema.properties || {};
    (schema.required || []).forEach((k) => {
      if (!(k in value)) problems.push(`${at}.${k}: required, missing`);
    });
    Object.keys(value).forEach((k) => {
      if (props[k]) problems.push(...validate(doc, props[k], value[k], `${at}.${k}`));
      else if (schema.additionalProperties && schema.additionalProperties !== true) problems.push(...validate(doc, schema.additionalProperties, value[k], `${at}.${k}`));
      else if (schema.properties && schema.additionalProperties === undefined) problems.push(`${at}.${k}: not in the schema (the service does not send it)`);
    });
  }
  return problems;
}

/**
 * The schema of `data` in a route's success answer.
 * @param {any} doc @param {string} method "GET" @param {string} path "/api/v1/waitlist/my"
 */
function dataSchema(doc, method, path) {
  const op = doc.paths[path] && doc.paths[path][method.toLowerCase()];
  if (!op) throw new Error(`no ${method} ${path} in the OpenAPI document`);
  const ok = op.responses['200'] || op.responses['201'];
  const envelope = ok.content['application/json'].schema;
  const resolved = envelope.$ref ? resolve(doc, envelope.$ref) : envelope;
  return resolved.properties.data;
}

module.exports = { validate, dataSchema, resolve };
