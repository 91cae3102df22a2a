'use strict';
const fs = require('fs');
const zlib = require('zlib');

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR = { 0: 'grayscale', 2: 'rgb', 3: 'palette', 4: 'grayscale+alpha', 6: 'rgba' };
const MAX_CHUNKS = 10000;

function crc32(buf) {
  // zlib.crc32 exists from Node 20.15/22.2; keep a table version for older runtimes
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf) >>> 0;
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function inspect(buf) {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  const info = { text: {} };
  let off = 8;
  for (let i = 0; i < MAX_CHUNKS && off + 12 <= buf.length; i++) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    if (off + 12 + len > buf.length) throw new Error(`truncated ${type} chunk`);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (crc32(buf.subarray(off + 4, off + 8 + len)) !== buf.readUInt32BE(off + 8 + len)) {
      throw new Error(`bad CRC in ${type} chunk`);
    }
    if (type === 'IHDR') {
      info.width = data.readUInt32BE(0);
      info.height = data.readUInt32BE(4);
      info.bit_depth = data[8];
      info.color_type = COLOR[data[9]] ?? `unknown(${data[9]})`;
      info.interlaced = data[12] === 1;
    } else if (type === 'pHYs' && data[8] === 1) {
      info.dpi = Math.round(data.readUInt32BE(0) * 0.0254);
    } else if (type === 'tEXt') {
      const nul = data.indexOf(0);
      info.text[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1);
    } else if (type === 'IEND') {
      return info;
    }
    off += 12 + len;
  }
  throw new Error('no IEND chunk');
}

const req = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
const results = (Array.isArray(req.images) ? req.images : []).map(({ name = null, base64 = '' }) => {
  try {
    return { name, ...inspect(Buffer.from(String(base64), 'base64')) };
  } catch (err) {
    return { name, error: err.message };
  }
});
console.log(JSON.stringify({ results }));
