'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

const FORMATS = new Set(['markdown', 'gfm', 'commonmark', 'rst', 'html', 'latex', 'docbook', 'org', 'mediawiki']);
const MAX_INPUT = 4 * 1024 * 1024;

function pandocVersion() {
  const out = execFileSync('pandoc', ['--version'], { encoding: 'utf8' });
  const m = /^pandoc(?:\.exe)? (\d+)\.(\d+)/m.exec(out);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function convert(text, from, to) {
  const args = ['--from', from, '--to', to, '--wrap=preserve'];
  const [major, minor] = pandocVersion();
  if (major > 2 || (major === 2 && minor >= 15)) args.push('--sandbox');
  return execFileSync('pandoc', args, {
    input: text,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 50_000,
  });
}

function main() {
  let req;
  try {
    req = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
  } catch {
    return { error: 'input is not JSON' };
  }
  const { text, from = 'markdown', to } = req;
  if (typeof text !== 'string') return { error: 'text (a string) is required' };
  if (Buffer.byteLength(text) > MAX_INPUT) return { error: 'text is larger than 4 MiB' };
  if (!FORMATS.has(from) || !FORMATS.has(to)) return { error: `formats: ${[...FORMATS].join(', ')}` };
  try {
    return { text: convert(text, from, to) };
  } catch (err) {
    if (err.code === 'ENOENT') return { error: 'pandoc is not installed' };
    return { error: `pandoc failed: ${String(err.stderr || err.message).trim()}` };
  }
}

console.log(JSON.stringify(main()));
