import { readFileSync } from 'node:fs';

// Locale modules are loaded lazily, but only from this fixed list of bundled files.
const LOCALES = { en: './locales/en.mjs', de: './locales/de.mjs', fr: './locales/fr.mjs', ja: './locales/ja.mjs', hi: './locales/hi.mjs' };
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

async function loadLocale(tag) {
  const file = LOCALES[tag];
  if (!file) throw new Error(`locale must be one of ${Object.keys(LOCALES).join(', ')}`);
  const mod = await import(file);
  return mod.default;
}

function format(value, opts, locale) {
  const nf = (o) => new Intl.NumberFormat(locale.bcp47, o).format(value);
  switch (opts.style ?? 'decimal') {
    case 'decimal':
      return locale.decimal ? locale.decimal(value) : nf({ maximumFractionDigits: opts.digits ?? 2 });
    case 'currency':
      return nf({ style: 'currency', currency: opts.currency ?? locale.currency });
    case 'percent':
      return nf({ style: 'percent', maximumFractionDigits: opts.digits ?? 1 });
    case 'compact':
      return nf({ notation: 'compact', maximumFractionDigits: 1 });
    case 'bytes': {
      let v = Math.abs(value);
      let i = 0;
      while (v >= 1024 && i < UNITS.length - 1) {
        v /= 1024;
        i++;
      }
      const n = new Intl.NumberFormat(locale.bcp47, { maximumFractionDigits: i ? 1 : 0 }).format(Math.sign(value) * v);
      return `${n} ${UNITS[i]}`;
    }
    default:
      throw new Error('style must be decimal, currency, percent, compact or bytes');
  }
}

try {
  const req = JSON.parse(readFileSync(0, 'utf8') || '{}');
  if (typeof req.value !== 'number' || !Number.isFinite(req.value)) throw new Error('value must be a finite number');
  const locale = await loadLocale(req.locale ?? 'en');
  console.log(JSON.stringify({ text: format(req.value, req, locale) }));
} catch (err) {
  console.log(JSON.stringify({ error: err.message }));
}
