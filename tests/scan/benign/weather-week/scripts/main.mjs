// weather-week: daily forecast from Open-Meteo. Hosts are declared in SKILL.md.
import { readFileSync } from 'node:fs';

const GEO = 'https://geocoding-api.open-meteo.com/v1/search';
const FORECAST = 'https://api.open-meteo.com/v1/forecast';

async function getJson(url) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 10_000);
  try {
    const res = await fetch(url, { signal: ctrl.signal, headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(url).host}`);
    return await res.json();
  } finally {
    clearTimeout(timer);
  }
}

async function resolvePlace(name) {
  const url = `${GEO}?${new URLSearchParams({ name, count: '1', format: 'json' })}`;
  const data = await getJson(url);
  const hit = data.results?.[0];
  if (!hit) throw new Error(`no place called "${name}"`);
  return { latitude: hit.latitude, longitude: hit.longitude, label: `${hit.name}, ${hit.country}` };
}

async function forecast({ latitude, longitude }, days) {
  const params = new URLSearchParams({
    latitude: String(latitude),
    longitude: String(longitude),
    daily: 'temperature_2m_min,temperature_2m_max,precipitation_sum,sunrise,sunset',
    timezone: 'auto',
    forecast_days: String(days),
  });
  const d = (await getJson(`${FORECAST}?${params}`)).daily;
  return d.time.map((date, i) => ({
    date,
    min: d.temperature_2m_min[i],
    max: d.temperature_2m_max[i],
    precipitation_mm: d.precipitation_sum[i],
    sunrise: d.sunrise[i].slice(11),
    sunset: d.sunset[i].slice(11),
  }));
}

async function main() {
  let req;
  try {
    req = JSON.parse(readFileSync(0, 'utf8') || '{}');
  } catch {
    return { error: 'input is not JSON' };
  }
  const days = Math.min(Math.max(Number(req.days ?? 7) | 0, 1), 16);
  let where;
  if (typeof req.place === 'string' && req.place.trim()) {
    where = await resolvePlace(req.place.trim());
  } else if (Number.isFinite(req.latitude) && Number.isFinite(req.longitude)) {
    where = { latitude: req.latitude, longitude: req.longitude, label: null };
  } else {
    return { error: 'give "place" or "latitude" and "longitude"' };
  }
  return { place: where.label, days: await forecast(where, days) };
}

main()
  .then((out) => console.log(JSON.stringify(out)))
  .catch((err) => console.log(JSON.stringify({ error: err.message })));
