// Deterministic lorem ipsum. No dependencies.
const { readFileSync } = require('node:fs');

const WORDS = `lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt
ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris
nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum
eu fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia
deserunt mollit anim id est laborum`.split(/\s+/);

const LIMITS = { words: 1000, sentences: 200, paragraphs: 50 };

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed) {
  const rand = mulberry32(seed);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)];
  const between = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const sentence = () => {
    const n = between(6, 14);
    const w = Array.from({ length: n }, pick);
    if (n > 8) w[between(3, n - 3)] += ',';
    const s = w.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  };
  const paragraph = () => Array.from({ length: between(3, 6) }, sentence).join(' ');
  return { pick, sentence, paragraph };
}

function lorem({ unit = 'paragraphs', count = 1, seed = 1, start_with_lorem = true }) {
  if (!(unit in LIMITS)) return { error: `unit must be one of ${Object.keys(LIMITS).join(', ')}` };
  const n = Math.max(1, Math.min(Number(count) | 0, LIMITS[unit]));
  const g = generator(Number(seed) | 0);
  let text;
  if (unit === 'words') text = Array.from({ length: n }, g.pick).join(' ');
  else if (unit === 'sentences') text = Array.from({ length: n }, g.sentence).join(' ');
  else text = Array.from({ length: n }, g.paragraph).join('\n\n');
  if (start_with_lorem) {
    const words = text.split(' ');
    const head = ['Lorem', 'ipsum', 'dolor', 'sit', 'amet,'].slice(0, words.length);
    text = head.concat(words.slice(head.length)).join(' ');
  }
  return { text };
}

let req = {};
try {
  req = JSON.parse(readFileSync(0, 'utf8') || '{}');
} catch {
  req = null;
}
console.log(JSON.stringify(req ? lorem(req) : { error: 'input is not JSON' }));
