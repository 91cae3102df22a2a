'use strict';
const fs = require('fs');

const NAMED = {
  black: '#000000', white: '#ffffff', red: '#ff0000', lime: '#00ff00', blue: '#0000ff',
  yellow: '#ffff00', cyan: '#00ffff', magenta: '#ff00ff', silver: '#c0c0c0', gray: '#808080',
  maroon: '#800000', olive: '#808000', green: '#008000', purple: '#800080', teal: '#008080',
  navy: '#000080', orange: '#ffa500', dodgerblue: '#1e90ff', tomato: '#ff6347', gold: '#ffd700',
  indigo: '#4b0082', coral: '#ff7f50', crimson: '#dc143c', salmon: '#fa8072', khaki: '#f0e68c',
};

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

function parse(input) {
  const s = String(input).trim().toLowerCase();
  if (NAMED[s]) return parse(NAMED[s]);
  let m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
  if (m) {
    const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  }
  m = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(s);
  if (m) return m.slice(1, 4).map((x) => clamp(Number(x), 0, 255));
  m = /^hsl\(\s*([\d.]+)\s*,\s*([\d.]+)%\s*,\s*([\d.]+)%\s*\)$/.exec(s);
  if (m) return hslToRgb(Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100);
  throw new Error(`cannot parse colour "${input}"`);
}

function hslToRgb(h, s, l) {
  const k = (n) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [f(0), f(8), f(4)].map((x) => Math.round(x * 255));
}

function rgbToHsl([r, g, b]) {
  const [R, G, B] = [r, g, b].map((x) => x / 255);
  const max = Math.max(R, G, B);
  const min = Math.min(R, G, B);
  const l = (max + min) / 2;
  const d = max - min;
  let h = 0;
  if (d) {
    if (max === R) h = ((G - B) / d) % 6;
    else if (max === G) h = (B - R) / d + 2;
    else h = (R - G) / d + 4;
  }
  const s = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  return [Math.round((h * 60 + 360) % 360), Math.round(s * 100), Math.round(l * 100)];
}

function rgbToHsv([r, g, b]) {
  const max = Math.max(r, g, b) / 255;
  const min = Math.min(r, g, b) / 255;
  const [h] = rgbToHsl([r, g, b]);
  return [h, max === 0 ? 0 : Math.round(((max - min) / max) * 100), Math.round(max * 100)];
}

const hex = (rgb) => '#' + rgb.map((x) => x.toString(16).padStart(2, '0')).join('');

function luminance(rgb) {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function nearestName(rgb) {
  let best = null;
  let bestD = Infinity;
  for (const [name, value] of Object.entries(NAMED)) {
    const d = parse(value).reduce((acc, c, i) => acc + (c - rgb[i]) ** 2, 0);
    if (d < bestD) [best, bestD] = [name, d];
  }
  return best;
}

function run(req) {
  if (req.foreground !== undefined) {
    const [l1, l2] = [luminance(parse(req.foreground)), luminance(parse(req.background ?? '#fff'))];
    const ratio = Math.round(((Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)) * 100) / 100;
    return { contrast: ratio, aa: ratio >= 4.5, aa_large: ratio >= 3, aaa: ratio >= 7 };
  }
  const rgb = parse(req.color);
  return { hex: hex(rgb), rgb, hsl: rgbToHsl(rgb), hsv: rgbToHsv(rgb), nearest: nearestName(rgb) };
}

let out;
try {
  out = run(JSON.parse(fs.readFileSync(0, 'utf8') || '{}'));
} catch (e) {
  out = { error: e.message };
}
console.log(JSON.stringify(out));
