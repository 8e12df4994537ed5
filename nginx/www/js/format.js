// Turns the API's raw numbers into text for people. Pure functions; fixed English formatting so
// every visitor reads the same figures ("1.2 GB", "99.87 %", "12,345").

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** 12345 → "12,345"; anything that is not a finite number → "–". */
export function formatCount(n) {
  return Number.isFinite(n) ? countFormat.format(n) : '–';
}

/**
 * Decimal (SI) byte sizes, as disk makers and the farmers' own dashboards count:
 * 0 → "0 B", 999 → "999 B", 1234 → "1.2 kB", 1234567890 → "1.2 GB", 123456789012 → "123 GB".
 * One decimal below 100 of a unit, none above.
 */
export function formatBytes(n) {
  if (!Number.isFinite(n) || n < 0) return '–';
  let unit = 0;
  let value = n;
  while (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const text = value >= 99.95 ? String(Math.round(value)) : value.toFixed(1);
  return `${text} ${BYTE_UNITS[unit]}`;
}

/** 99.87 → "99.87 %", 100 → "100.00 %" (the API's two decimals, always shown). */
export function formatPercent(p) {
  return Number.isFinite(p) ? `${p.toFixed(2)} %` : '–';
}

/**
 * A farmer's place from its location object: "Berlin, Land Berlin, Germany", skipping unknown
 * parts and a state that repeats the city ("Tokyo, Japan"); short: city and country only.
 * Nothing known → "Unknown location".
 */
export function formatPlace(location, { short = false } = {}) {
  const loc = location || {};
  const parts = [];
  for (const part of short ? [loc.city, loc.country] : [loc.city, loc.state, loc.country]) {
    if (typeof part === 'string' && part.trim() !== '' && !parts.includes(part)) parts.push(part);
  }
  return parts.length ? parts.join(', ') : 'Unknown location';
}

/** True when the farmer can be drawn on a map (both coordinates known, 0 included). */
export function isLocated(location) {
  return !!location && Number.isFinite(location.lat) && Number.isFinite(location.lon);
}

/** 52.52, 13.405 → "52.52° N, 13.41° E"; 0 counts as north / east. */
export function formatCoordinates(lat, lon) {
  const ns = lat < 0 ? 'S' : 'N';
  const ew = lon < 0 ? 'W' : 'E';
  return `${Math.abs(lat).toFixed(2)}° ${ns}, ${Math.abs(lon).toFixed(2)}° ${ew}`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const RELATIVE_STEPS = [
  [60, 'second', 1],
  [3600, 'minute', 60],
  [86400, 'hour', 3600],
  [86400 * 30, 'day', 86400],
  [86400 * 365, 'month', 86400 * 30],
  [Infinity, 'year', 86400 * 365],
];

/**
 * "in 42 seconds", "3 minutes ago", "yesterday" for an ISO-8601 time relative to nowMs;
 * null or unparsable → "never".
 */
export function formatRelativeTime(iso, nowMs) {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return 'never';
  const seconds = Math.round((t - nowMs) / 1000);
  const abs = Math.abs(seconds);
  for (const [limit, unit, size] of RELATIVE_STEPS) {
    if (abs < limit) return relative.format(Math.trunc(seconds / size), unit);
  }
  return 'never';
}

/** "2026-11-26 17:00:00 UTC" for an ISO-8601 time; null or unparsable → "". */
export function formatUtc(iso) {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return '';
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "17:02:05" in the visitor's own clock, for "updated at". */
export function formatClock(date) {
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Short form of a long identifier for narrow places: "1A1zP1…DivfNa". */
export function abbreviate(text, head = 6, tail = 6) {
  if (typeof text !== 'string') return '';
  return text.length <= head + tail + 1 ? text : `${text.slice(0, head)}…${text.slice(-tail)}`;
}
