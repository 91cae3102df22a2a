'use strict';
const fs = require('fs');

function fit(w, h, maxW, maxH) {
  const scale = Math.min(1, maxW / w, maxH / h);
  return { width: Math.round(w * scale), height: Math.round(h * scale), scale };
}

const r = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
console.log(JSON.stringify(fit(r.width, r.height, r.max_width ?? r.width, r.max_height ?? r.height)));
