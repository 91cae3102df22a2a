#!/usr/bin/env node
// json-formatter skill: reads {"operation", "json" | "data", ...} as JSON on stdin and prints one
// JSON object. Logical errors are printed as {"error": "..."} with exit status 0 (the contract).
'use strict';

const fs = require('fs');

const MAX_INPUT_BYTES = 8 * 1024 * 1024;
const MAX_DEPTH = 1000; // keeps JSON.stringify and sortKeys' recursion far from the stack limit
const OPERATIONS = ['validate', 'format', 'minify', 'get'];

class InputError extends Error {}
const refuse = (message) => {
  throw new InputError(message);
};

// Checks RFC 8259 syntax without building anything, iteratively (no recursion on nesting), so
// a malformed document gets an exact position and a hostile one a clean refusal.
function checkSyntax(text) {
  const n = text.length;
  const stack = [];
  let i = 0;
  let maxDepth = 0;
  const fail = (message) => ({ ok: false, pos: i, message });
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;) {
      c = text.charCodeAt(++i);
    }
  };
  const scanString = () => { // at the opening quote; returns an error message or null
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return 'control character in a string (escape it, e.g. \\n)';
      if (c === 0x5c) {
        const e = text[++i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return 'invalid \\u escape';
          i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          return 'invalid escape in a string';
        }
      }
    }
    return 'unterminated string';
  };
  const numberRe = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
  const scanKey = () => {
    skipSpace();
    if (text[i] !== '"') return 'expected a property name in double quotes';
    const e = scanString();
    if (e) return e;
    skipSpace();
    if (text[i] !== ':') return "expected ':' after the property name";
    i++;
    return null;
  };

  for (;;) {
    // A value is expected at i.
    skipSpace();
    if (i >= n) return fail('unexpected end of input, expected a value');
    const c = text[i];
    let closedEmpty = false;
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_DEPTH) return fail(`nested deeper than ${MAX_DEPTH} levels`);
      stack.push(c);
      maxDepth = Math.max(maxDepth, stack.length);
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i++;
        closedEmpty = true;
      } else if (c === '{') {
        if (text[i] !== '"') return fail("expected a property name in double quotes or '}'");
        const e = scanKey();
        if (e) return fail(e);
        continue;
      } else {
        continue;
      }
    }
    if (!closedEmpty) {
      if (c === '"') {
        const e = scanString();
        if (e) return fail(e);
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        numberRe.lastIndex = i;
        if (!numberRe.test(text)) return fail('invalid number');
        i = numberRe.lastIndex;
      } else if (text.startsWith('true', i)) {
        i += 4;
      } else if (text.startsWith('false', i)) {
        i += 5;
      } else if (text.startsWith('null', i)) {
        i += 4;
      } else {
        const ch = String.fromCodePoint(text.codePointAt(i));
        return fail(`unexpected character ${JSON.stringify(ch)}`);
      }
    }
    // After a value: close containers until a ',' asks for the next value.
    for (;;) {
      skipSpace();
      if (stack.length === 0) {
        return i < n ? fail('unexpected text after the JSON value') : { ok: true, depth: maxDepth };
      }
      const close = stack[stack.length - 1] === '{' ? '}' : ']';
      if (i >= n) return fail(`unexpected end of input, expected ',' or '${close}'`);
      if (text[i] === close) {
        stack.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') return fail(`expected ',' or '${close}'`);
      i++;
      if (close === '}') {
        const e = scanKey();
        if (e) return fail(e);
      }
      break;
    }
  }
}

function lineAndColumn(text, pos) {
  const before = text.slice(0, pos);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let k = before.indexOf('\n'); k !== -1; k = before.indexOf('\n', k + 1)) line++;
  return { line, column: Array.from(before.slice(lineStart)).length + 1 };
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v; // object, string, number, boolean
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const k of Object.keys(v).sort()) {
    // defineProperty, not assignment: a "__proto__" key must stay an ordinary key.
    Object.defineProperty(out, k, {
      value: sortKeys(v[k]), enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}

// The document: parse `json` (a string) or take `data` as is.
function documentOf(req) {
  const hasJson = Object.prototype.hasOwnProperty.call(req, 'json');
  const hasData = Object.prototype.hasOwnProperty.call(req, 'data');
  if (hasJson === hasData) {
    refuse('give the document as exactly one of json (text) or data (a value)');
  }
  if (hasData) return req.data;
  if (typeof req.json !== 'string') {
    refuse('json must be a string holding JSON text (use data for a value)');
  }
  const check = checkSyntax(req.json);
  if (!check.ok) {
    const { line, column } = lineAndColumn(req.json, check.pos);
    refuse(`json is not valid JSON: ${check.message} at line ${line} column ${column}`);
  }
  return JSON.parse(req.json);
}

// a.b[0]["odd key"] -> ['a', 'b', 0, 'odd key']
function parsePath(path) {
  const parts = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const m = /^\[(?:([0-9]+)|("(?:[^"\\]|\\.)*"))\]/.exec(path.slice(i));
      if (!m) refuse(`path: expected [index] or ["key"] at offset ${i}`);
      if (m[1] !== undefined) {
        parts.push(Number(m[1]));
      } else {
        try {
          parts.push(JSON.parse(m[2]));
        } catch (e) {
          refuse(`path: invalid quoted key at offset ${i}`);
        }
      }
      i += m[0].length;
    } else {
      if (path[i] === '.') {
        if (i === 0) refuse('path: must not start with "."');
        i++;
      } else if (i > 0) {
        refuse(`path: expected "." or "[" at offset ${i}`);
      }
      const m = /^[^.[\]]+/.exec(path.slice(i));
      if (!m) refuse(`path: expected a key at offset ${i}`);
      parts.push(m[0]);
      i += m[0].length;
    }
  }
  return parts;
}

function lookup(doc, parts) {
  let v = doc;
  for (const p of parts) {
    if (typeof p === 'number' && Array.isArray(v) && p < v.length) {
      v = v[p];
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v) &&
               Object.prototype.hasOwnProperty.call(v, String(p))) {
      v = v[String(p)];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: v };
}

function indentOf(req) {
  const indent = req.indent === undefined ? 2 : req.indent;
  if (indent === 'tab') return '\t';
  if (!Number.isInteger(indent) || indent < 0 || indent > 8) {
    refuse('indent must be an integer from 0 to 8, or "tab"');
  }
  return indent;
}

function handle(req) {
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    refuse('input must be a JSON object');
  }
  const op = req.operation;
  const known = `(one of: ${OPERATIONS.join(', ')})`;
  if (op === undefined) refuse(`operation is required ${known}`);
  if (!OPERATIONS.includes(op)) {
    refuse(`unknown operation ${JSON.stringify(op).slice(0, 80)} ${known}`);
  }
  if (req.sort_keys !== undefined && typeof req.sort_keys !== 'boolean') {
    refuse('sort_keys must be true or false');
  }

  if (op === 'validate') {
    if (typeof req.json !== 'string') refuse('validate needs json: a string holding JSON text');
    const check = checkSyntax(req.json);
    if (!check.ok) {
      const where = lineAndColumn(req.json, check.pos);
      return { operation: op, valid: false, message: check.message, ...where };
    }
    return { operation: op, valid: true, type: typeOf(JSON.parse(req.json)), depth: check.depth };
  }
  let doc = documentOf(req);
  if (req.sort_keys) doc = sortKeys(doc);
  if (op === 'format') return { operation: op, result: JSON.stringify(doc, null, indentOf(req)) };
  if (op === 'minify') return { operation: op, result: JSON.stringify(doc) };
  if (typeof req.path !== 'string') refuse('get needs path: a string such as items[0].name');
  return { operation: op, path: req.path, ...lookup(doc, parsePath(req.path)) };
}

function readInput() {
  const raw = fs.readFileSync(0);
  if (raw.length > MAX_INPUT_BYTES) refuse(`input is larger than ${MAX_INPUT_BYTES} bytes`);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (e) {
    refuse('input is not valid UTF-8');
  }
  const check = checkSyntax(text);
  if (!check.ok) {
    const { line, column } = lineAndColumn(text, check.pos);
    refuse(`input is not JSON: ${check.message} at line ${line} column ${column}`);
  }
  return JSON.parse(text);
}

function main() {
  let out;
  try {
    out = handle(readInput());
  } catch (e) {
    if (!(e instanceof InputError)) throw e; // a real failure: non-zero exit, stack on stderr
    out = { error: e.message };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main();
