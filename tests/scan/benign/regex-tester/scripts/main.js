'use strict';
const { readFileSync } = require('fs');

const MAX_SAMPLES = 100;
const MAX_SAMPLE_LEN = 10000;
const MAX_MATCHES = 1000;
const VALID_FLAGS = /^[dgimsuvy]*$/;

function compile(pattern, flags) {
  if (typeof pattern !== 'string') throw new Error('pattern must be a string');
  if (!VALID_FLAGS.test(flags)) throw new Error(`unsupported flags "${flags}"`);
  return new RegExp(pattern, flags.includes('g') ? flags : flags + 'g');
}

function test(re, sample) {
  const matches = [];
  for (const m of sample.matchAll(re)) {
    matches.push({
      match: m[0],
      index: m.index,
      groups: m.slice(1),
      named: m.groups ? { ...m.groups } : undefined,
    });
    if (matches.length >= MAX_MATCHES) break;
  }
  return matches;
}

function run(req) {
  const flags = typeof req.flags === 'string' ? req.flags : '';
  let re;
  try {
    re = compile(req.pattern, flags);
  } catch (err) {
    return { error: `invalid pattern: ${err.message}` };
  }
  const samples = Array.isArray(req.samples) ? req.samples.slice(0, MAX_SAMPLES) : [];
  return {
    pattern: re.source,
    flags: re.flags,
    results: samples.map((s) => {
      const sample = String(s).slice(0, MAX_SAMPLE_LEN);
      const out = { sample, matches: test(re, sample) };
      if (typeof req.replace === 'string') {
        const once = new RegExp(re.source, flags);
        out.replaced = sample.replace(once, req.replace);
      }
      return out;
    }),
  };
}

let request;
try {
  request = JSON.parse(readFileSync(0, 'utf8') || '{}');
} catch (err) {
  request = null;
}
console.log(JSON.stringify(request ? run(request) : { error: 'input is not JSON' }));
