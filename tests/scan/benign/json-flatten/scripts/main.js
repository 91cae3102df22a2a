#!/usr/bin/env node
'use strict';

const fs = require('fs');

const MAX_DEPTH = 200;

function escapeKey(key, sep) {
  return String(key).split('\\').join('\\\\').split(sep).join('\\' + sep);
}

function splitPath(path, sep) {
  const parts = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '\\' && i + 1 < path.length) {
      cur += path[++i];
    } else if (path.startsWith(sep, i)) {
      parts.push(cur);
      cur = '';
      i += sep.length - 1;
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  return parts;
}

function flatten(data, sep) {
  const out = {};
  const stack = [[data, '', 0]];
  while (stack.length) {
    const [value, prefix, depth] = stack.pop();
    if (depth > MAX_DEPTH) throw new Error(`nesting deeper than ${MAX_DEPTH}`);
    const isContainer = value !== null && typeof value === 'object';
    if (!isContainer || Object.keys(value).length === 0) {
      out[prefix] = value;
      continue;
    }
    const keys = Object.keys(value).reverse();
    for (const k of keys) {
      const key = escapeKey(k, sep);
      stack.push([value[k], prefix === '' ? key : prefix + sep + key, depth + 1]);
    }
  }
  return out;
}

function unflatten(flat, sep) {
  const root = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = splitPath(path, sep);
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      if (node[part] === undefined) node[part] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      node = node[part];
    });
  }
  return root;
}

function main() {
  let req;
  try {
    req = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
  } catch (err) {
    return { error: `input is not JSON: ${err.message}` };
  }
  const sep = typeof req.separator === 'string' && req.separator !== '' ? req.separator : '.';
  try {
    if (req.operation === 'flatten') return { result: flatten(req.data, sep) };
    if (req.operation === 'unflatten') return { result: unflatten(req.data ?? {}, sep) };
  } catch (err) {
    return { error: err.message };
  }
  return { error: 'operation must be "flatten" or "unflatten"' };
}

process.stdout.write(JSON.stringify(main()) + '\n');
