#!/usr/bin/env node
// A stand-in for the node's status API (docs/STATUS_API.md), serving a fixture of farmers, so the
// status page can be tested before the C++ routes exist. It answers under both prefixes the node
// uses (/api/downstream/ and /api/downstream/v1/) with the same JSON shapes, sort rules and errors.
//
// Test-only control routes (never proxied by nginx; the test calls the mock's port directly):
//   POST /__mock/bump/<farmer_id>[?by=N]   heartbeats += N (default 1); answers the farmer
//   POST /__mock/set/<farmer_id>           merges the JSON body into the farmer (e.g. {"online":false})
//   POST /__mock/reset                     back to the fixture
//
// Usage: node mock_status_api.js --port 18122 [--host 127.0.0.1] [--fixture FILE] [--scale N]
//   --scale N adds made-up farmers (derived from the fixture's) up to N in all, to see how the
//   page copes with a big node (DESIGN.md plans for 100,000 farmers).
// Prints "mock status API listening on http://HOST:PORT" once it accepts connections.
'use strict';

const crypto = require('crypto');
const http = require('http');
const fs = require('fs');
const path = require('path');

const SORT_KEYS = ['id', 'address', 'uptime', 'heartbeats', 'contracts', 'size', 'online'];
const MAX_POINTS = 10000;

function parseArgs(argv) {
  const args = { host: '127.0.0.1', port: 18122, fixture: path.join(__dirname, 'fixtures', 'farmers.json'), scale: 0 };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = key === 'port' || key === 'scale' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return args;
}

// The fixture's times are written relative to its "generated_at"; shifting them to now keeps
// "due in 40 s" looking live however old the fixture is.
function loadFixture(file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(doc.farmers) || doc.farmers.length === 0) throw new Error(`${file}: no farmers`);
  const shift = doc.generated_at ? Date.now() - Date.parse(doc.generated_at) : 0;
  return doc.farmers.map((f) => ({
    ...f,
    location: { ...f.location },
    last_due: f.last_due === null ? null
      : new Date(Math.round((Date.parse(f.last_due) + shift) / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
  }));
}

// Deterministic extra farmers: farmer i copies fixture farmer i mod n with a new id, address and
// counts, and a place scattered a few degrees around the original's.
function scaleUp(farmers, total) {
  const out = [...farmers];
  for (let i = farmers.length; i < total; i += 1) {
    const h = crypto.createHash('sha256').update(`farmer ${i}`).digest();
    const base = farmers[i % farmers.length];
    const online = h[0] < 180;
    const jitter = (b) => ((b / 255) - 0.5) * 8;
    const loc = base.location;
    out.push({
      ...base,
      id: h.toString('hex').slice(0, 20),
      address: `1${h.toString('base64').replace(/[^1-9A-HJ-NP-Za-km-z]/g, '').slice(0, 33).padEnd(33, 'z')}`,
      location: loc.lat === null ? { ...loc } : {
        ...loc,
        lat: Math.round(Math.max(-56, Math.min(80, loc.lat + jitter(h[1]))) * 1e4) / 1e4,
        lon: Math.round((((loc.lon + jitter(h[2]) + 540) % 360) - 180) * 1e4) / 1e4,
      },
      online,
      uptime: Math.round(h.readUInt16BE(3) / 65535 * 10000) / 100,
      heartbeats: h.readUInt16BE(5),
      contracts: online ? 1 + (h[7] % 12) : 0,
      size: online ? (1 + (h[7] % 12)) * 32768 * (1 + h[8]) : 0,
      ip_hash: crypto.createHash('sha256').update(`ip ${i}`).digest('hex'),
    });
  }
  return out;
}

function compareValues(a, b) {
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number') return a - b;
  return a < b ? -1 : a > b ? 1 : 0; // binary (code point) order, as with an ascii_bin column
}

// Ties are broken by id ascending in both directions, so pages never overlap.
function sortFarmers(farmers, key, descending) {
  return [...farmers].sort((x, y) => {
    const c = compareValues(x[key], y[key]);
    if (c !== 0) return descending ? -c : c;
    return compareValues(x.id, y.id);
  });
}

// Parses the part of a list route after "status/list": [online][/by[/d]/<key>][/<limit>[/<page>]].
// Returns {online, key, descending, limit, page} or {error, code}.
function parseListRoute(segments) {
  const q = { online: false, key: 'id', descending: false, limit: null, page: 0 };
  const s = [...segments];
  if (s[0] === 'online') { q.online = true; s.shift(); }
  if (s[0] === 'by') {
    s.shift();
    if (s[0] === 'd') { q.descending = true; s.shift(); }
    const key = s.shift();
    if (key === undefined) return { code: 404, error: 'no sort key given' };
    if (!SORT_KEYS.includes(key)) return { code: 400, error: `unknown sort key "${key}"; use one of ${SORT_KEYS.join(', ')}` };
    q.key = key;
  }
  if (s.length > 0) {
    if (!/^[0-9]{1,9}$/.test(s[0]) || Number(s[0]) < 1) return { code: 400, error: `limit must be a positive integer, not "${s[0]}"` };
    q.limit = Number(s.shift());
  }
  if (s.length > 0) {
    if (!/^[0-9]{1,9}$/.test(s[0])) return { code: 400, error: `page must be a non-negative integer, not "${s[0]}"` };
    q.page = Number(s.shift());
  }
  if (s.length > 0) return { code: 404, error: 'unknown route' };
  return q;
}

function located(f) {
  return f.location && f.location.lat !== null && f.location.lon !== null;
}

function summarize(farmers) {
  const online = farmers.filter((f) => f.online);
  const points = sortFarmers(farmers.filter(located), 'id', false)
    .sort((a, b) => Number(b.online) - Number(a.online)) // stable: online first, then by id
    .slice(0, MAX_POINTS)
    .map((f) => ({ id: f.id, lat: f.location.lat, lon: f.location.lon, online: f.online, heartbeats: f.heartbeats }));
  return {
    farmers: farmers.length,
    online: online.length,
    countries: new Set(online.map((f) => f.location && f.location.country).filter((c) => c)).size,
    size: online.reduce((sum, f) => sum + f.size, 0),
    heartbeats: farmers.reduce((sum, f) => sum + f.heartbeats, 0),
    points,
  };
}

function createServer(fixtureFile, scale = 0) {
  const load = () => scaleUp(loadFixture(fixtureFile), scale);
  let farmers = load();
  // Sorted lists and the summary are remembered until a control route changes a farmer, so a
  // scaled-up mock answers as fast as a cached node would.
  let memo = new Map();
  const remember = (key, make) => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key);
  };
  const byId = (id) => farmers.find((f) => f.id === id);

  function send(res, code, body) {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'public, max-age=2',
    });
    res.end(text);
  }
  const fail = (res, code, message) => send(res, code, { status: 'error', message });

  function api(res, route) {
    const seg = route.split('/').filter((x) => x !== '');
    if (seg[0] !== 'status') return fail(res, 404, 'unknown route');
    if (seg[1] === 'summary' && seg.length === 2) return send(res, 200, remember('summary', () => summarize(farmers)));
    if (seg[1] === 'show' && seg.length === 3) {
      const f = byId(seg[2]);
      return f ? send(res, 200, f) : fail(res, 404, `no farmer with id ${seg[2]}`);
    }
    if (seg[1] === 'list') {
      const q = parseListRoute(seg.slice(2));
      if (q.error) return fail(res, q.code, q.error);
      let rows = remember(`${q.online} ${q.key} ${q.descending}`,
        () => sortFarmers(q.online ? farmers.filter((f) => f.online) : farmers, q.key, q.descending));
      if (q.limit !== null) rows = rows.slice(q.page * q.limit, (q.page + 1) * q.limit);
      return send(res, 200, { farmers: rows });
    }
    return fail(res, 404, 'unknown route');
  }

  function control(req, res, route, body) {
    memo = new Map();
    const [verb, id] = route.split('/').filter((x) => x !== '');
    if (verb === 'reset') { farmers = load(); return send(res, 200, { status: 'ok' }); }
    const f = byId(id || '');
    if (!f) return fail(res, 404, `no farmer with id ${id}`);
    if (verb === 'bump') {
      const by = Number(new URL(req.url, 'http://x').searchParams.get('by') || 1);
      f.heartbeats += by;
      return send(res, 200, f);
    }
    if (verb === 'set') {
      Object.assign(f, JSON.parse(body || '{}'));
      return send(res, 200, f);
    }
    return fail(res, 404, 'unknown control route');
  }

  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; if (body.length > 65536) req.destroy(); });
    req.on('end', () => {
      const pathname = new URL(req.url, 'http://x').pathname;
      try {
        const apiMatch = /^\/api\/downstream(?:\/v1)?\/(.*)$/.exec(pathname);
        if (apiMatch) {
          if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'status routes answer GET only');
          return api(res, apiMatch[1]);
        }
        if (pathname.startsWith('/__mock/') && req.method === 'POST') {
          return control(req, res, pathname.slice('/__mock/'.length), body);
        }
        return fail(res, 404, 'unknown route');
      } catch (err) {
        return fail(res, 500, `mock failed: ${err.message}`);
      }
    });
  });
}

if (require.main === module) {
  const args = parseArgs(process.argv);
  const server = createServer(args.fixture, args.scale);
  server.listen(args.port, args.host, () => {
    console.log(`mock status API listening on http://${args.host}:${args.port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

module.exports = { createServer, parseListRoute, sortFarmers, summarize };
