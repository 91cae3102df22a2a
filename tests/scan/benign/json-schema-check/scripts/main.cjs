'use strict';
const fs = require('node:fs');

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const matchesType = (v, t) => t === typeOf(v) || (t === 'number' && typeof v === 'number');

function validate(schema, doc, path = '$', errors = [], depth = 0) {
  if (depth > 64) {
    errors.push({ path, message: 'schema nesting too deep' });
    return errors;
  }
  const err = (message) => errors.push({ path, message });
  if (schema.type) {
    const types = [].concat(schema.type);
    if (!types.some((t) => matchesType(doc, t))) {
      err(`must be ${types.join(' or ')}, got ${typeOf(doc)}`);
      return errors;
    }
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(doc))) {
    err(`must be one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof doc === 'number') {
    if (schema.minimum !== undefined && doc < schema.minimum) err(`must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && doc > schema.maximum) err(`must be <= ${schema.maximum}`);
  }
  if (typeof doc === 'string') {
    const len = [...doc].length;
    if (schema.minLength !== undefined && len < schema.minLength) err(`shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && len > schema.maxLength) err(`longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(doc)) {
      err(`does not match /${schema.pattern}/`);
    }
  }
  if (typeOf(doc) === 'object') {
    for (const key of schema.required ?? []) if (!(key in doc)) err(`missing required property "${key}"`);
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (key in doc) validate(sub, doc[key], `${path}.${key}`, errors, depth + 1);
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(doc)) {
        if (!(key in (schema.properties ?? {}))) err(`unexpected property "${key}"`);
      }
    }
  }
  if (Array.isArray(doc) && schema.items) {
    doc.forEach((item, i) => validate(schema.items, item, `${path}[${i}]`, errors, depth + 1));
  }
  return errors;
}

const parseMaybe = (v) => (typeof v === 'string' ? JSON.parse(v) : v);

let out;
try {
  const req = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
  const errors = validate(parseMaybe(req.schema) ?? {}, parseMaybe(req.document));
  out = { valid: errors.length === 0, errors };
} catch (e) {
  out = { error: e.message };
}
process.stdout.write(JSON.stringify(out) + '\n');
