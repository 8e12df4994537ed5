#!/usr/bin/env node
// Seeds a real node for the status page's browser test (scripts/test-browser.sh), in two steps:
//
//   node seed_node.js sql FIXTURE NOW_MS > seed.sql
//       SQL that inserts the fixture's farmers (test/browser/fixtures/farmers.json) with
//       summary columns worked out here so that the node reports exactly the fixture's
//       online, uptime, contracts, size, heartbeats and location, and stays so for the length
//       of a test run (histories ten years long: minutes move an uptime by ~1e-6 %). Also
//       whitelists the two addresses the next step registers through the API.
//   node seed_node.js api API_URL FIXTURE EXPECT_OUT
//       registers two farmers through GET /new with a trusted X-Forwarded-For (London and
//       Linköping in the GeoIP test database) and writes EXPECT_OUT: {"farmers": [...]}, the
//       fixture's farmers plus these two as the status API must show them (STATUS_EXPECT).
'use strict';

const crypto = require('crypto');
const fs = require('fs');

const YEAR = 365 * 86400 * 1000;
const HISTORY = 10 * YEAR;  // every seeded farmer's first contract was this long ago
const MINUTE = 60000;

// Two farmers registered through the API; what the GeoIP test database says of their IPs
// (/work/shared/geoip/README.md, test/geoip/README.md).
const API_FARMERS = [
  { n: 1, ip: '81.2.69.160', location: { city: 'London', country: 'United Kingdom', lat: 51.5142, lon: -0.0931, state: 'England', zip: null } },
  { n: 2, ip: '89.160.20.120', location: { city: 'Linköping', country: 'Sweden', lat: 58.4167, lon: 15.6167, state: 'Östergötland County', zip: null } },
];

const sha256 = (data) => crypto.createHash('sha256').update(data).digest();

// A base58check address (version 0) made from `n`.
function address(n) {
  const payload = Buffer.concat([Buffer.from([0]), sha256(`browser test address ${n}`).subarray(0, 20)]);
  const data = Buffer.concat([payload, sha256(sha256(payload)).subarray(0, 4)]);
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let x = BigInt(`0x${data.toString('hex')}`);
  let text = '';
  while (x > 0n) { text = alphabet[Number(x % 58n)] + text; x /= 58n; }
  for (const byte of data) { if (byte !== 0) break; text = `1${text}`; }
  return text;
}

const sqlText = (v) => (v === null || v === undefined ? 'NULL' : `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
const sqlNumber = (v) => (v === null || v === undefined ? 'NULL' : String(v));

// The summary columns that make the node show `f` at any time within minutes of `now`.
function summary(f, now) {
  const never = !f.online && f.uptime === 0 && f.last_due === null;
  if (never) return { first: null, start: null, end: null, covered: 0, contracts: 0, size: 0, lastDue: null };
  const first = now - HISTORY;
  const online = Math.round((f.uptime / 100) * HISTORY);  // ms online in [first, now)
  if (f.online) {
    // Online since a minute ago, for another year; the rest of the online time lies before.
    const start = now - MINUTE;
    return { first, start, end: now + YEAR, covered: online - MINUTE, contracts: f.contracts, size: f.size, lastDue: now + YEAR - MINUTE };
  }
  // Offline since an hour ago, after one last minute online.
  const end = now - 60 * MINUTE;
  const start = end - Math.min(MINUTE, online);
  return { first, start, end, covered: online - (end - start), contracts: 0, size: 0, lastDue: end };
}

function seedSql(fixture, now) {
  const lines = ['-- Written by test/browser/seed_node.js; times relative to ' + new Date(now).toISOString()];
  fixture.farmers.forEach((f, i) => {
    const s = summary(f, now);
    const loc = f.location || {};
    lines.push(
      'INSERT INTO tokens (token_hash, farmer_id, address, ip, location_city, location_country, location_state,'
      + ' location_zip, location_lat, location_lon, created_ms, heartbeats, first_contract_ms, online_start_ms,'
      + ' online_end_ms, covered_ms, contracts_online, size_online, last_due_ms, changed_ms) VALUES ('
      + [`UNHEX(SHA2(${sqlText(`browser fixture ${f.id}`)}, 256))`, sqlText(f.id), sqlText(f.address), sqlText(`10.77.0.${i + 1}`),
        sqlText(loc.city), sqlText(loc.country), sqlText(loc.state), sqlText(loc.zip), sqlNumber(loc.lat), sqlNumber(loc.lon),
        now - HISTORY - MINUTE, f.heartbeats, sqlNumber(s.first), sqlNumber(s.start), sqlNumber(s.end), s.covered,
        s.contracts, s.size, sqlNumber(s.lastDue), now].join(', ')
      + ');');
  });
  for (const a of API_FARMERS) {
    lines.push(`INSERT INTO addresses (address, crowdsale_balance, created_ms, changed_ms) VALUES (${sqlText(address(a.n))}, 1000000, ${now}, ${now});`);
  }
  return `${lines.join('\n')}\n`;
}

async function registerThroughApi(apiUrl, fixture) {
  const farmers = [...fixture.farmers];
  for (const a of API_FARMERS) {
    const response = await fetch(new URL(`new/${address(a.n)}`, apiUrl), { headers: { 'X-Forwarded-For': a.ip } });
    const body = await response.json();
    if (response.status !== 200) throw new Error(`GET /new answered ${response.status}: ${JSON.stringify(body)}`);
    // DESIGN.md §2: the farmer id is the first 20 hex characters of SHA-256 of the raw token.
    const id = sha256(Buffer.from(body.token, 'hex')).toString('hex').slice(0, 20);
    farmers.push({ id, address: address(a.n), location: a.location, uptime: 0, heartbeats: 0, contracts: 0, online: false, size: 0 });
  }
  return { farmers };
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'sql' && args.length === 2) {
    process.stdout.write(seedSql(JSON.parse(fs.readFileSync(args[0], 'utf8')), Number(args[1])));
  } else if (mode === 'api' && args.length === 3) {
    const expected = await registerThroughApi(args[0], JSON.parse(fs.readFileSync(args[1], 'utf8')));
    fs.writeFileSync(args[2], `${JSON.stringify(expected, null, 1)}\n`);
  } else {
    console.error('usage: seed_node.js sql FIXTURE NOW_MS | api API_URL FIXTURE EXPECT_OUT');
    process.exit(2);
  }
}

main().catch((err) => { console.error(`seed_node.js: ${err.message}`); process.exit(1); });
