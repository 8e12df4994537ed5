#!/usr/bin/env node
// Headless-browser test of the public status page (nginx/www), run by scripts/test-browser.sh.
//
// Drives Debian's Chromium through playwright-core against a page served by nginx, and checks
// what a visitor sees against what the status API itself answers (fetched by this test), so the
// same test runs against the mock API (test/browser/mock_status_api.js) or the real node.
// It also checks the API's own answers for consistency (summary vs list, sort order, paging).
//
// Environment:
//   STATUS_PAGE_URL      the page (default http://127.0.0.1:18121/)
//   STATUS_API_URL       the API prefix (default <page>api/downstream/v1/)
//   STATUS_EXPECT        optional JSON file {"farmers": [...]} of the seeded farmers: the API must
//                        report exactly these (id, address, online, counts, uptime, location)
//   STATUS_MOCK_CONTROL  the mock's control prefix (http://127.0.0.1:18122/__mock/): raises a
//                        farmer's heartbeats for the pulse test
//   STATUS_BUMP_CMD      or else a shell command that raises the heartbeat count of the farmer
//                        whose id is appended as its last argument (for the real node: an UPDATE
//                        in MariaDB); with neither, the pulse test is skipped
//   SCREENSHOT_DIR       where the screenshots go (default build/screenshots)
//   BROWSER_PROFILE_PARENT  folder for the throwaway Chromium profile (default the OS temp dir)
//   CHROMIUM             the browser (default /usr/bin/chromium)
// Ends with the line "N passed, N failed" (", N skipped" when some were); exit 1 on any failure.
'use strict';

const assert = require('assert/strict');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const PAGE_URL = process.env.STATUS_PAGE_URL || 'http://127.0.0.1:18121/';
const API_URL = process.env.STATUS_API_URL || new URL('api/downstream/v1/', PAGE_URL).href;
const EXPECT_FILE = process.env.STATUS_EXPECT || '';
const MOCK_CONTROL = process.env.STATUS_MOCK_CONTROL || '';
const BUMP_CMD = process.env.STATUS_BUMP_CMD || '';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(ROOT, 'build', 'screenshots');
const PROFILE_PARENT = process.env.BROWSER_PROFILE_PARENT || os.tmpdir();
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const POLL_MS = 5000;
const PAGE_SIZE = 25; // the page's default rows per page
const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// ---- a tiny runner ------------------------------------------------------------------------

const counts = { passed: 0, failed: 0, skipped: 0 };
let number = 0;

class Skip extends Error {}

async function test(name, body) {
  number += 1;
  const started = Date.now();
  try {
    await body();
    counts.passed += 1;
    console.log(`ok ${number} - ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    if (err instanceof Skip) {
      counts.skipped += 1;
      console.log(`ok ${number} - ${name} # SKIP ${err.message}`);
      return;
    }
    counts.failed += 1;
    console.log(`not ok ${number} - ${name}`);
    console.log(String(err && err.stack ? err.stack : err).split('\n').slice(0, 12).map((l) => `    ${l}`).join('\n'));
  }
}

// ---- the API, as the test sees it ---------------------------------------------------------

async function api(route, { allowError = false } = {}) {
  const response = await fetch(new URL(route, API_URL), { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!allowError) assert.equal(response.status, 200, `GET ${route} answered ${response.status}: ${JSON.stringify(body)}`);
  return allowError ? { status: response.status, body } : body;
}

const listIds = async (route) => (await api(route)).farmers.map((f) => f.id);
const located = (f) => !!f.location && Number.isFinite(f.location.lat) && Number.isFinite(f.location.lon);
const en = (n) => n.toLocaleString('en-US');

async function bump(id) {
  if (MOCK_CONTROL) {
    const response = await fetch(new URL(`bump/${id}`, MOCK_CONTROL), { method: 'POST' });
    assert.equal(response.status, 200, 'the mock refused the heartbeat bump');
  } else if (BUMP_CMD) {
    execFileSync('sh', ['-c', `${BUMP_CMD} "$1"`, 'bump', id], { stdio: 'inherit', timeout: 20000 });
  } else {
    throw new Skip('no way to raise a heartbeat count (set STATUS_MOCK_CONTROL or STATUS_BUMP_CMD)');
  }
}

// Parses "4.7 GB" back to bytes (decimal units), to check the page's rounding independently.
function parseBytes(text) {
  const m = /^([0-9.]+) (B|kB|MB|GB|TB|PB)$/.exec(text.trim());
  assert.ok(m, `"${text}" is not a size like "1.2 GB"`);
  return Number(m[1]) * 1000 ** ['B', 'kB', 'MB', 'GB', 'TB', 'PB'].indexOf(m[2]);
}

// ---- the page, as a visitor sees it -------------------------------------------------------

const rowIdsOnPage = (page) => page.$$eval('#farmer-rows tr[data-id]', (trs) => trs.map((tr) => tr.dataset.id));

/** Waits until the table shows exactly `ids` in that order; fails with both lists if not. */
async function expectRows(page, ids, what, timeout = 8000) {
  try {
    await page.waitForFunction((want) => {
      const have = [...document.querySelectorAll('#farmer-rows tr[data-id]')].map((tr) => tr.dataset.id);
      return JSON.stringify(have) === JSON.stringify(want);
    }, ids, { timeout });
  } catch (err) {
    const have = await rowIdsOnPage(page);
    assert.deepEqual(have, ids, `table rows for ${what}`);
  }
}

async function sortState(page) {
  return page.$$eval('#farmer-table thead th', (ths) => ths
    .filter((th) => th.querySelector('button[data-sort]'))
    .map((th) => [th.querySelector('button').dataset.sort, th.getAttribute('aria-sort')]));
}

async function expectSorted(page, key, direction) {
  const state = await sortState(page);
  const active = state.filter(([, s]) => s !== 'none');
  assert.deepEqual(active, [[key, direction]], `aria-sort of the headers: ${JSON.stringify(state)}`);
}

async function cellTexts(page, field) {
  return page.$$eval(`#farmer-rows tr[data-id] td[data-field="${field}"]`, (tds) => tds.map((td) => td.textContent.trim()));
}

function assertMonotonic(values, descending, what) {
  for (let i = 1; i < values.length; i += 1) {
    const ok = descending ? values[i - 1] >= values[i] : values[i - 1] <= values[i];
    assert.ok(ok, `${what} out of order at row ${i + 1}: ${values[i - 1]} then ${values[i]} (${descending ? 'descending' : 'ascending'})`);
  }
}

async function waitForPoll(page) {
  const before = await page.textContent('#live-time');
  await page.waitForFunction((text) => document.getElementById('live-time').textContent !== text,
    before, { timeout: POLL_MS * 3 });
}

// ---- the tests ----------------------------------------------------------------------------

async function unitTests() {
  // The page's pure modules are browser ES modules; a copy in a "type: module" folder lets Node load them.
  const dir = fs.mkdtempSync(path.join(PROFILE_PARENT, 'status-page-modules-'));
  fs.cpSync(path.join(ROOT, 'nginx', 'www', 'js'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
  const load = (name) => import(pathToFileURL(path.join(dir, name)).href);
  const format = await load('format.js');
  const statusApi = await load('status_api.js');
  const viewState = await load('view_state.js');
  fs.rmSync(dir, { recursive: true, force: true });

  await test('format: byte sizes in decimal units, one decimal below 100', () => {
    const cases = [[0, '0 B'], [999, '999 B'], [1000, '1.0 kB'], [1234, '1.2 kB'], [32768, '32.8 kB'],
      [99949, '99.9 kB'], [99950, '100 kB'], [999999, '1.0 MB'], [1234567890, '1.2 GB'],
      [4708466688, '4.7 GB'], [123456789012, '123 GB'], [2 ** 50, '1.1 PB'], [-1, '–'], [NaN, '–']];
    for (const [n, text] of cases) assert.equal(format.formatBytes(n), text, `formatBytes(${n})`);
  });

  await test('format: counts, percentages, places, coordinates', () => {
    assert.equal(format.formatCount(12345), '12,345');
    assert.equal(format.formatCount(0), '0');
    assert.equal(format.formatCount(1234567), '1,234,567');
    assert.equal(format.formatCount(null), '–');
    assert.equal(format.formatPercent(99.87), '99.87 %');
    assert.equal(format.formatPercent(100), '100.00 %');
    assert.equal(format.formatPercent(0), '0.00 %');
    assert.equal(format.formatPlace({ city: 'Berlin', state: 'Land Berlin', country: 'Germany', lat: 1, lon: 2, zip: '10115' }), 'Berlin, Land Berlin, Germany');
    assert.equal(format.formatPlace({ city: 'Tokyo', state: 'Tokyo', country: 'Japan' }), 'Tokyo, Japan');
    assert.equal(format.formatPlace({ city: 'Berlin', state: 'Land Berlin', country: 'Germany' }, { short: true }), 'Berlin, Germany');
    assert.equal(format.formatPlace({ city: null, state: null, country: 'Russia' }), 'Russia');
    assert.equal(format.formatPlace({ city: null, state: null, country: null, lat: null, lon: null, zip: null }), 'Unknown location');
    assert.equal(format.formatPlace(null), 'Unknown location');
    assert.equal(format.isLocated({ lat: 51.4769, lon: 0 }), true, 'longitude 0 is a place');
    assert.equal(format.isLocated({ lat: null, lon: null }), false);
    assert.equal(format.formatCoordinates(-33.8688, 151.2093), '33.87° S, 151.21° E');
    assert.equal(format.formatCoordinates(40.7128, -74.006), '40.71° N, 74.01° W');
  });

  await test('format: times relative to now and in UTC', () => {
    const now = Date.parse('2026-11-26T17:00:00Z');
    assert.equal(format.formatRelativeTime('2026-11-26T17:00:42Z', now), 'in 42 seconds');
    assert.equal(format.formatRelativeTime('2026-11-26T16:57:00Z', now), '3 minutes ago');
    assert.equal(format.formatRelativeTime('2026-11-25T17:00:00Z', now), 'yesterday');
    assert.equal(format.formatRelativeTime(null, now), 'never');
    assert.equal(format.formatUtc('2026-11-26T17:00:00Z'), '2026-11-26 17:00:00 UTC');
    assert.equal(format.abbreviate('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'), '1A1zP1…DivfNa');
  });

  await test('status_api: list and show routes', () => {
    const { listRoute, showRoute } = statusApi;
    assert.equal(listRoute({ sort: 'uptime', descending: true, onlineOnly: false, limit: 25, page: 0 }), 'status/list/by/d/uptime/25/0');
    assert.equal(listRoute({ sort: 'size', descending: false, onlineOnly: true, limit: 10, page: 3 }), 'status/list/online/by/size/10/3');
    assert.throws(() => listRoute({ sort: 'ip', descending: false, onlineOnly: false, limit: 10, page: 0 }));
    assert.equal(showRoute('ab/../x'), 'status/show/ab%2F..%2Fx');
  });

  await test('view_state: URL fragment round trip and header clicks', () => {
    const { parseView, formatView, toggleSort, DEFAULT_VIEW } = viewState;
    assert.equal(formatView(DEFAULT_VIEW), '');
    assert.deepEqual(parseView(''), { ...DEFAULT_VIEW });
    const view = parseView('#sort=size&dir=asc&online=1&rows=50&page=3&farmer=AB12');
    assert.deepEqual(view, { sort: 'size', descending: false, onlineOnly: true, limit: 50, page: 2, selected: 'ab12' });
    assert.deepEqual(parseView(formatView(view)), view);
    assert.deepEqual(parseView('#sort=ip&rows=7&page=-1&farmer=<script>'), { ...DEFAULT_VIEW }, 'junk keeps the defaults');
    const byHeartbeats = toggleSort({ ...DEFAULT_VIEW, page: 4 }, 'heartbeats');
    assert.deepEqual([byHeartbeats.sort, byHeartbeats.descending, byHeartbeats.page], ['heartbeats', false, 0]);
    const flipped = toggleSort(byHeartbeats, 'heartbeats');
    assert.deepEqual([flipped.sort, flipped.descending], ['heartbeats', true]);
  });
}

async function apiTests(truth) {
  await test('site: / answers 2xx (the farmer client\'s connectivity check)', async () => {
    const response = await fetch(PAGE_URL);
    assert.ok(response.status >= 200 && response.status < 300, `GET / answered ${response.status}`);
    assert.match(await response.text(), /<title>/);
  });

  await test('site: scripts, styles and map data arrive gzipped to a browser', async () => {
    for (const file of ['js/app.js', 'css/status.css', 'vendor/d3-geo.min.js', 'vendor/countries-110m.json']) {
      const response = await fetch(new URL(file, PAGE_URL), { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(response.status, 200, `GET /${file} answered ${response.status}`);
      assert.equal(response.headers.get('content-encoding'), 'gzip', `/${file} went out uncompressed`);
      await response.arrayBuffer();
    }
  });

  await test('api: the node reports the seeded farmers', async () => {
    assert.ok(truth.farmers.length > 0, 'the API lists no farmers: nothing to test the page with');
    assert.equal(new Set(truth.farmers.map((f) => f.id)).size, truth.farmers.length, 'farmer ids repeat');
    if (!EXPECT_FILE) throw new Skip('STATUS_EXPECT not set');
    const expected = JSON.parse(fs.readFileSync(EXPECT_FILE, 'utf8')).farmers;
    const pick = (f) => ({
      id: f.id, address: f.address, online: f.online, heartbeats: f.heartbeats, contracts: f.contracts,
      size: f.size, uptime: f.uptime, location: f.location,
    });
    const sortById = (list) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1)).map(pick);
    assert.deepEqual(sortById(truth.farmers), sortById(expected));
  });

  await test('api: the summary agrees with the full list', () => {
    const { farmers, summary } = truth;
    const online = farmers.filter((f) => f.online);
    assert.equal(summary.farmers, farmers.length, 'summary.farmers');
    assert.equal(summary.online, online.length, 'summary.online');
    assert.equal(summary.countries, new Set(online.map((f) => f.location && f.location.country).filter(Boolean)).size, 'summary.countries (online farmers)');
    assert.equal(summary.size, online.reduce((s, f) => s + f.size, 0), 'summary.size (bytes online)');
    assert.equal(summary.heartbeats, farmers.reduce((s, f) => s + f.heartbeats, 0), 'summary.heartbeats');
    const placed = farmers.filter(located);
    assert.equal(summary.points.length, Math.min(placed.length, 10000), 'one point per located farmer');
    const byId = new Map(farmers.map((f) => [f.id, f]));
    let seenOffline = false;
    for (const p of summary.points) {
      const f = byId.get(p.id);
      assert.ok(f && located(f), `point ${p.id} is no located farmer`);
      assert.deepEqual([p.lat, p.lon, p.online, p.heartbeats], [f.location.lat, f.location.lon, f.online, f.heartbeats], `point ${p.id}`);
      if (!p.online) seenOffline = true;
      assert.ok(!(seenOffline && p.online), 'online points come first');
    }
  });

  await test('api: sorted lists, pages and errors', async () => {
    const n = truth.farmers.length;
    const byUptime = (await api('status/list/by/d/uptime')).farmers;
    assert.equal(byUptime.length, n);
    assertMonotonic(byUptime.map((f) => f.uptime), true, 'uptime');
    const size = (await api('status/list/by/size')).farmers;
    assertMonotonic(size.map((f) => f.size), false, 'size');
    const pages = [];
    for (let p = 0; p * 7 < n; p += 1) pages.push(...await listIds(`status/list/by/d/uptime/7/${p}`));
    assert.deepEqual(pages, byUptime.map((f) => f.id), 'pages of 7 put together = the whole list');
    const online = (await api('status/list/online/by/heartbeats')).farmers;
    assert.equal(online.length, truth.summary.online);
    assert.ok(online.every((f) => f.online), 'the online list has offline farmers');
    const bad = await api('status/list/by/ip', { allowError: true });
    assert.equal(bad.status, 400, 'unknown sort key');
    assert.equal(bad.body.status, 'error');
    const unknown = await api('status/show/ffffffffffffffffffff', { allowError: true });
    assert.equal(unknown.status, 404, 'unknown farmer');
    assert.equal(typeof unknown.body.message, 'string');
  });
}

async function pageTests(context, truth) {
  const pageErrors = [];
  const consoleErrors = [];
  const foreignRequests = [];
  const origin = new URL(PAGE_URL).origin;
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && new URL(url).origin !== origin) foreignRequests.push(url);
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  const { farmers, summary } = truth;

  await test('page: loads, reaches the API and says it is live', async () => {
    await page.goto(PAGE_URL);
    await page.waitForSelector('#live[data-state="live"]', { timeout: 10000 });
    assert.match((await page.textContent('#live')).trim(), /^Live · updated \d\d:\d\d:\d\d$/);
    assert.equal(await page.isHidden('#api-error'), true, 'the error notice shows');
  });

  await test('table: first page matches the API, best uptime first', async () => {
    await expectSorted(page, 'uptime', 'descending');
    const first = (await api(`status/list/by/d/uptime/${PAGE_SIZE}/0`)).farmers;
    await expectRows(page, first.map((f) => f.id), 'uptime descending, page 1');
    assert.equal(first.length, Math.min(PAGE_SIZE, farmers.length));
    const heartbeats = await cellTexts(page, 'heartbeats');
    const uptime = await cellTexts(page, 'uptime');
    const status = await cellTexts(page, 'online');
    const places = await cellTexts(page, 'place');
    first.forEach((f, i) => {
      assert.equal(heartbeats[i], en(f.heartbeats), `heartbeats of ${f.id}`);
      assert.equal(uptime[i], `${f.uptime.toFixed(2)} %`, `uptime of ${f.id}`);
      assert.equal(status[i], f.online ? 'Online' : 'Offline', `status of ${f.id}`);
      const loc = f.location || {};
      if (loc.city || loc.country) {
        for (const part of [loc.city, loc.country].filter(Boolean)) assert.ok(places[i].includes(part), `place "${places[i]}" lacks ${part}`);
      } else {
        assert.equal(places[i], 'Unknown location');
      }
    });
  });

  await test('table: offline farmers are faded', async () => {
    const online = new Map(farmers.map((f) => [f.id, f.online]));
    if (farmers.every((f) => f.online)) throw new Skip('every farmer is online');
    const look = () => page.$$eval('#farmer-rows tr[data-id]', (trs) => trs.map((tr) => [
      tr.dataset.id, tr.classList.contains('offline'), Number(getComputedStyle(tr.querySelector('td[data-field="uptime"]')).opacity)]));
    let looks = await look();
    if (!looks.some(([id]) => !online.get(id))) {
      // None on the first page by uptime: look at the view that lists offline farmers first.
      await page.goto(`${PAGE_URL}#sort=online&dir=asc`);
      await expectRows(page, await listIds(`status/list/by/online/${PAGE_SIZE}/0`), 'offline first');
      looks = await look();
      await page.goto(PAGE_URL);
      await page.waitForSelector('#live[data-state="live"]');
    }
    for (const [id, faded, opacity] of looks) {
      assert.equal(faded, !online.get(id), `row ${id} offline class`);
      if (faded) assert.ok(opacity < 0.8, `offline row ${id} has opacity ${opacity}`);
      else assert.equal(opacity, 1, `online row ${id} has opacity ${opacity}`);
    }
  });

  await test('table: Next/Previous walk through every farmer', async () => {
    const all = await listIds('status/list/by/d/uptime');
    const seen = [];
    for (let p = 0; ; p += 1) {
      await expectRows(page, all.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE), `page ${p + 1}`);
      seen.push(...await rowIdsOnPage(page));
      assert.match(await page.textContent('#table-status'), new RegExp(`of ${en(all.length)} farmers · page ${p + 1} of ${Math.ceil(all.length / PAGE_SIZE)}$`));
      if (await page.isDisabled('#page-next')) break;
      assert.ok(p < 1000, 'Next never disabled');
      await page.click('#page-next');
    }
    assert.deepEqual(seen, all, 'all pages put together');
    for (let p = Math.ceil(all.length / PAGE_SIZE) - 2; p >= 0; p -= 1) {
      await page.click('#page-prev');
      await expectRows(page, all.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE), `back on page ${p + 1}`);
    }
    assert.equal(await page.isDisabled('#page-prev'), true, 'Previous on page 1');
  });

  await test('table: a header click sorts ascending, a second one descending', async () => {
    await page.click('#farmer-table th button[data-sort="heartbeats"]');
    await expectSorted(page, 'heartbeats', 'ascending');
    await expectRows(page, await listIds(`status/list/by/heartbeats/${PAGE_SIZE}/0`), 'heartbeats ascending');
    assertMonotonic((await cellTexts(page, 'heartbeats')).map((t) => Number(t.replace(/,/g, ''))), false, 'heartbeats shown');
    // The second time by keyboard: the headers are real buttons.
    await page.focus('#farmer-table th button[data-sort="heartbeats"]');
    await page.keyboard.press('Enter');
    await expectSorted(page, 'heartbeats', 'descending');
    await expectRows(page, await listIds(`status/list/by/d/heartbeats/${PAGE_SIZE}/0`), 'heartbeats descending');
    assertMonotonic((await cellTexts(page, 'heartbeats')).map((t) => Number(t.replace(/,/g, ''))), true, 'heartbeats shown');
    assert.match(page.url(), /#sort=heartbeats&dir=desc$/);
  });

  await test('table: sorting by size and by address', async () => {
    await page.click('#farmer-table th button[data-sort="size"]');
    await expectSorted(page, 'size', 'ascending');
    await expectRows(page, await listIds(`status/list/by/size/${PAGE_SIZE}/0`), 'size ascending');
    assertMonotonic((await cellTexts(page, 'size')).map(parseBytes), false, 'sizes shown');
    await page.click('#farmer-table th button[data-sort="address"]');
    await expectSorted(page, 'address', 'ascending');
    await expectRows(page, await listIds(`status/list/by/address/${PAGE_SIZE}/0`), 'address ascending');
    await page.click('#farmer-table th button[data-sort="heartbeats"]');
    await page.click('#farmer-table th button[data-sort="heartbeats"]');
    await expectSorted(page, 'heartbeats', 'descending');
  });

  await test('table: "Online only" hides offline farmers', async () => {
    await page.check('#online-only');
    const online = await listIds(`status/list/online/by/d/heartbeats/${PAGE_SIZE}/0`);
    await expectRows(page, online, 'online only, heartbeats descending');
    assert.equal(online.length, Math.min(PAGE_SIZE, summary.online));
    const status = await cellTexts(page, 'online');
    assert.ok(status.every((s) => s === 'Online'), `statuses shown: ${status.join(', ')}`);
    assert.match(await page.textContent('#table-status'), new RegExp(`of ${en(summary.online)} online farmers`));
    assert.match(page.url(), /online=1/);
    await page.uncheck('#online-only');
    await expectRows(page, await listIds(`status/list/by/d/heartbeats/${PAGE_SIZE}/0`), 'all farmers again');
  });

  await test('totals: farmers online, countries, bytes stored, heartbeats', async () => {
    const text = async (id) => (await page.textContent(`#${id}`)).trim();
    assert.equal(await text('total-online'), en(summary.online));
    assert.equal(await text('total-farmers'), en(summary.farmers));
    assert.equal(await text('total-countries'), en(summary.countries));
    assert.equal(await text('total-heartbeats'), en(summary.heartbeats));
    const shown = parseBytes(await text('total-size'));
    assert.ok(Math.abs(shown - summary.size) <= Math.max(0.05 * summary.size, 1), `"${await text('total-size')}" for ${summary.size} bytes`);
  });

  await test('map: one dot per located farmer, in the right place', async () => {
    await page.waitForSelector('#map svg.world');
    const dots = await page.$$eval('#map circle.dot', (cs) => cs.map((c) => ({
      id: c.dataset.id, online: c.classList.contains('online'), offline: c.classList.contains('offline'),
      x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')),
    })));
    const placed = farmers.filter(located);
    assert.equal(dots.length, Math.min(placed.length, 10000), 'dots drawn');
    assert.deepEqual(dots.map((d) => d.id).sort(), placed.map((f) => f.id).sort(), 'dot ids');
    const byId = new Map(farmers.map((f) => [f.id, f]));
    for (const d of dots) {
      const f = byId.get(d.id);
      assert.deepEqual([d.online, d.offline], [f.online, !f.online], `dot ${d.id} state`);
      assert.ok(Number.isFinite(d.x) && Number.isFinite(d.y), `dot ${d.id} position`);
    }
    // Natural Earth is pseudo-cylindrical: y depends on latitude alone, x has the sign of longitude.
    for (const a of dots) {
      for (const b of dots) {
        const la = byId.get(a.id).location;
        const lb = byId.get(b.id).location;
        if (la.lat > lb.lat + 1) assert.ok(a.y < b.y, `${la.city} (lat ${la.lat}) is drawn below ${lb.city} (lat ${lb.lat})`);
        if (la.lon < -1 && lb.lon > 1) assert.ok(a.x < b.x, `${la.city} (lon ${la.lon}) is drawn east of ${lb.city} (lon ${lb.lon})`);
      }
    }
    const unplaced = farmers.length - placed.length;
    assert.match(await page.textContent('#map-caption'), placed.length >= 10000
      ? /^The first 10,000 farmers with a known place, online ones first$/
      : new RegExp(`^${en(placed.length)} farmers? on the map${unplaced ? ` · ${en(unplaced)} without a known place` : ''}$`));
  });

  await test('detail: clicking a table row shows that farmer', async () => {
    const id = (await rowIdsOnPage(page))[1];
    await page.click(`#farmer-rows tr[data-id="${id}"] td[data-field="place"]`);
    await page.waitForSelector(`#detail.has-farmer[data-id="${id}"]`);
    const farmer = await api(`status/show/${id}`);
    await page.waitForFunction((hb) => document.querySelector('#detail [data-field="heartbeats"] dd').textContent === hb, en(farmer.heartbeats));
    const fact = async (key) => (await page.textContent(`#detail [data-field="${key}"] dd`)).trim();
    assert.equal(await fact('address'), farmer.address);
    assert.equal(await fact('id'), farmer.id);
    assert.equal(await fact('uptime'), `${farmer.uptime.toFixed(2)} %`);
    assert.equal(await fact('contracts'), en(farmer.contracts));
    assert.ok(Math.abs(parseBytes(await fact('size')) - farmer.size) <= 0.05 * farmer.size + 1, 'bytes');
    if (farmer.last_due) assert.equal(await page.getAttribute('#detail [data-field="last_due"] time', 'datetime'), farmer.last_due);
    else assert.equal(await fact('last_due'), 'never');
    const place = await page.textContent('#detail .detail-place');
    const loc = farmer.location || {};
    for (const part of [loc.city, loc.country].filter(Boolean)) assert.ok(place.includes(part), `place "${place}" lacks ${part}`);
    assert.equal(await page.getAttribute(`#farmer-rows tr[data-id="${id}"]`, 'aria-current'), 'true');
    assert.match(page.url(), new RegExp(`farmer=${id}`));
  });

  await test('detail: clicking a dot on the map shows that farmer', async () => {
    await page.locator('#map').scrollIntoViewIfNeeded();
    const id = await page.evaluate(() => {
      for (const c of document.querySelectorAll('#map circle.dot')) {
        const r = c.getBoundingClientRect();
        if (document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === c) return c.dataset.id;
      }
      return null;
    });
    assert.ok(id, 'no dot is clickable');
    await page.click(`#map circle.dot[data-id="${id}"]`);
    await page.waitForSelector(`#detail.has-farmer[data-id="${id}"]`);
    const farmer = await api(`status/show/${id}`);
    assert.equal((await page.textContent('#detail [data-field="address"] dd')).trim(), farmer.address);
    assert.equal(await page.getAttribute('#map .selection', 'data-id'), id, 'the map marks the selected dot');
    await page.click('#detail-close');
    await page.waitForSelector('#detail:not(.has-farmer) .glossary');
  });

  await test('refresh: sort, page and filter survive polls and reloads', async () => {
    await page.click('#farmer-table th button[data-sort="size"]');
    await page.check('#online-only');
    await page.selectOption('#page-size', '10');
    const pages = Math.ceil(summary.online / 10);
    if (pages > 1) await page.click('#page-next');
    const page2 = pages > 1 ? 1 : 0;
    const want = await listIds(`status/list/online/by/size/10/${page2}`);
    await expectRows(page, want, 'online by size, 10 rows, page 2');
    await waitForPoll(page);
    await waitForPoll(page);
    await expectSorted(page, 'size', 'ascending');
    await expectRows(page, want, 'the same view after two polls');
    assert.equal(await page.isChecked('#online-only'), true);
    assert.equal(await page.inputValue('#page-size'), '10');
    await page.reload();
    await page.waitForSelector('#live[data-state="live"]');
    await expectSorted(page, 'size', 'ascending');
    await expectRows(page, want, 'the same view after a reload');
    assert.equal(await page.isChecked('#online-only'), true);
  });

  await test('map: a dot pulses when its farmer\'s heartbeats rise between polls', async () => {
    await page.goto(PAGE_URL);
    await page.waitForSelector('#live[data-state="live"]');
    await page.waitForSelector('#map circle.dot');
    const now = await api('status/summary');
    const point = now.points.find((p) => p.online) || now.points[0];
    assert.ok(point, 'no located farmer to watch');
    const dot = `#map circle.dot[data-id="${point.id}"]`;
    await waitForPoll(page); // the page has now seen the count before the rise
    assert.equal(await page.getAttribute(dot, 'data-pulses'), null, 'the dot pulsed before any rise');
    await bump(point.id);
    await page.waitForSelector(`${dot}.pulse[data-pulses="1"]`, { timeout: POLL_MS * 4 });
    assert.ok(await page.$('#map .rings circle.ring'), 'no pulse ring drawn');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.locator('.map-panel').screenshot({ path: path.join(SCREENSHOT_DIR, 'status-page-pulse.png') });
    if (MOCK_CONTROL) {
      const others = await page.$$eval('#map circle.dot[data-pulses]', (cs) => cs.map((c) => c.dataset.id));
      assert.deepEqual(others, [point.id], 'only the farmer whose count rose pulses');
    }
    // The row flashes for one poll: the one whose farmer list shows the rise. The list and the
    // summary the dot comes from may be answered by different workers, each with its own
    // index, so that poll is this one or the next; checked once the totals agreed, the flash
    // of this poll was sometimes over (a flake in a clean-clone run).
    if ((await rowIdsOnPage(page)).includes(point.id)) {
      const flashed = await page
        .waitForSelector(`#farmer-rows tr[data-id="${point.id}"] td.beat`, { timeout: POLL_MS * 2 })
        .then(() => true, () => false);
      assert.ok(flashed, 'the table row does not flash');
    }
    const total = (await api('status/summary')).heartbeats;
    await page.waitForFunction((t) => document.getElementById('total-heartbeats').textContent === t, en(total));
    await page.waitForSelector(`${dot}:not(.pulse)`, { timeout: POLL_MS * 2 });
  });

  await test('page: no script errors, no console errors, nothing fetched from elsewhere', () => {
    assert.deepEqual(pageErrors, [], 'uncaught errors');
    assert.deepEqual(consoleErrors, [], 'console errors');
    assert.deepEqual(foreignRequests, [], 'requests off the page\'s origin (the page must work offline)');
  });

  await test('errors: an unreachable API shows a notice, keeps the figures and recovers', async () => {
    const isApi = (url) => url.href.startsWith(API_URL);
    await page.route(isApi, (route) => route.fulfill({
      status: 502, contentType: 'text/html', body: '<html>502 Bad Gateway</html>',
    }));
    await page.waitForSelector('#api-error:not([hidden])', { timeout: POLL_MS * 3 });
    assert.match(await page.textContent('#api-error [role="alert"]'), /not answering/);
    assert.match(await page.textContent('#api-error'), /not answering[\s\S]*HTTP 502[\s\S]*Retrying every 5 seconds/);
    assert.equal(await page.getAttribute('#live', 'data-state'), 'error');
    assert.ok((await rowIdsOnPage(page)).length > 0, 'the last figures were thrown away');
    assert.equal(await page.evaluate(() => document.body.classList.contains('stale')), true);
    await page.waitForFunction(() => /\(2 failed tries\)/.test(document.getElementById('api-error').textContent), null, { timeout: POLL_MS * 3 });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'status-page-api-down.png') });
    await page.unroute(isApi);
    await page.click('#api-retry');
    await page.waitForSelector('#api-error[hidden]', { state: 'attached', timeout: 5000 });
    assert.equal(await page.getAttribute('#live', 'data-state'), 'live');
  });

  await test('errors: a node with no farmers says so', async () => {
    const empty = await context.newPage();
    try {
      await empty.route((url) => url.href.startsWith(API_URL), (route) => {
        const isSummary = route.request().url().includes('status/summary');
        return route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify(isSummary
            ? { farmers: 0, online: 0, countries: 0, size: 0, heartbeats: 0, points: [] }
            : { farmers: [] }),
        });
      });
      await empty.goto(PAGE_URL);
      await empty.waitForSelector('#live[data-state="live"]');
      assert.equal((await empty.textContent('#farmer-rows')).trim(), 'No farmers have registered with this node yet.');
      await empty.waitForSelector('#map svg.world');
      await empty.waitForFunction(() => document.getElementById('map-message').textContent === 'No farmers yet.');
      assert.equal(await empty.isVisible('#map-message'), true);
      assert.equal((await empty.textContent('#total-online')).trim(), '0');
      assert.equal((await empty.textContent('#total-size')).trim(), '0 B');
      assert.equal(await empty.isDisabled('#page-next'), true);
      assert.equal(await empty.isDisabled('#page-prev'), true);
      await empty.check('#online-only');
      await empty.waitForFunction(() => document.getElementById('farmer-rows').textContent.trim() === 'No farmers are online right now.');
    } finally {
      await empty.close();
    }
  });

  await test('detail: an unknown farmer id says the node does not know it', async () => {
    const unknown = 'f'.repeat(20);
    assert.ok(!farmers.some((f) => f.id === unknown));
    await page.goto(`${PAGE_URL}#farmer=${unknown}`);
    await page.waitForFunction(() => /does not know a farmer/.test(document.getElementById('detail-body').textContent));
  });

  await test('accessibility: sortable headers are buttons with aria-sort', async () => {
    await page.goto(PAGE_URL);
    await page.waitForSelector('#live[data-state="live"]');
    const state = await sortState(page);
    assert.deepEqual(state.map(([k]) => k).sort(), ['address', 'contracts', 'heartbeats', 'id', 'online', 'size', 'uptime']);
    assert.ok(state.every(([, s]) => ['ascending', 'descending', 'none'].includes(s)));
    assert.equal(state.filter(([, s]) => s !== 'none').length, 1);
    assert.ok(await page.$('#farmer-table caption'), 'the table has no caption');
    assert.equal(await page.getAttribute('#live-state', 'role'), 'status');
    assert.equal(await page.getAttribute('#detail', 'aria-live'), null, 'the detail panel would be read out every poll');
    assert.match(await page.getAttribute('#map svg.world', 'aria-label'), /\d+ online and \d+ offline farmers/);
    const names = await page.$$eval('#farmer-table thead button', (bs) => bs.map((b) => b.textContent.trim()));
    assert.ok(names.every((n) => n.length > 0), 'a header button has no name');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
  });

  await test('screenshot: desktop, with a farmer selected', async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    const id = (await rowIdsOnPage(page))[3];
    await page.click(`#farmer-rows tr[data-id="${id}"] button`);
    await page.waitForSelector(`#detail.has-farmer[data-id="${id}"]`);
    await page.waitForTimeout(400);
    const file = path.join(SCREENSHOT_DIR, 'status-page-desktop.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 20000, 'the screenshot is suspiciously small');
  });

  await test('phone: fits a 390 px screen; the detail opens as a sheet', async () => {
    const phone = await context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(PAGE_URL);
      await phone.waitForSelector('#live[data-state="live"]');
      await phone.waitForSelector('#map circle.dot');
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      const tops = await phone.$$eval('.totals .total', (ts) => ts.map((t) => Math.round(t.getBoundingClientRect().top)));
      assert.equal(new Set(tops).size, 2, `totals in ${new Set(tops).size} rows, want 2`);
      assert.equal(await phone.isVisible('#detail'), false, 'the empty detail panel takes room on a phone');
      for (const field of ['place', 'uptime', 'heartbeats', 'size']) {
        const box = await phone.locator(`#farmer-rows tr[data-id] td[data-field="${field}"]`).first().boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 390 + 0.5, `the ${field} column is off screen`);
      }
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await phone.screenshot({ path: path.join(SCREENSHOT_DIR, 'status-page-phone.png'), fullPage: true });
      const id = (await rowIdsOnPage(phone))[0];
      await phone.click(`#farmer-rows tr[data-id="${id}"] td[data-field="place"]`);
      await phone.waitForSelector(`#detail.has-farmer[data-id="${id}"]`);
      const sheet = await phone.locator('#detail').boundingBox();
      assert.ok(sheet.y + sheet.height <= 844 + 1 && sheet.y > 844 * 0.2, `the sheet is at ${JSON.stringify(sheet)}`);
      await phone.screenshot({ path: path.join(SCREENSHOT_DIR, 'status-page-phone-detail.png') });
      await phone.keyboard.press('Escape');
      await phone.waitForSelector('#detail:not(.has-farmer)', { state: 'attached' });
      assert.equal(await phone.isVisible('#detail'), false, 'Escape does not close the sheet');
    } finally {
      await phone.close();
    }
  });
}

async function main() {
  await unitTests();

  let truth = null;
  await test('api: answers status/list and status/summary', async () => {
    truth = { farmers: (await api('status/list')).farmers, summary: await api('status/summary') };
  });
  if (truth) {
    await apiTests(truth);
    fs.mkdirSync(PROFILE_PARENT, { recursive: true });
    const profile = fs.mkdtempSync(path.join(PROFILE_PARENT, 'chromium-profile-'));
    let context = null;
    try {
      await test('browser: Chromium starts', async () => {
        context = await chromium.launchPersistentContext(profile, {
          executablePath: CHROMIUM,
          headless: true,
          args: CHROMIUM_ARGS,
          viewport: { width: 1440, height: 900 },
          timeout: 30000,
        });
      });
      if (context) await pageTests(context, truth);
    } finally {
      if (context) await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }

  console.log(`${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  process.exitCode = counts.failed > 0 ? 1 : 0;
}

main().catch((err) => {
  console.log(`test run aborted: ${err && err.stack ? err.stack : err}`);
  console.log(`${counts.passed} passed, ${counts.failed + 1} failed`);
  process.exitCode = 1;
});
