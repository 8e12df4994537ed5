// The status page: polls the status API every 5 s and keeps the totals, the map, the table and
// the detail panel in step, without losing the visitor's sort, page, filter or selection.

import { FarmerDetail } from './farmer_detail.js';
import { FarmerTable } from './farmer_table.js';
import { formatBytes, formatClock, formatCount } from './format.js';
import { StatusApi } from './status_api.js';
import { formatView, parseView, toggleSort } from './view_state.js';
import { WorldMap } from './world_map.js';

const POLL_MS = 5000;
const MAP_OUTLINES = 'vendor/countries-110m.json';
const MAX_POINTS = 10000; // the summary's cap on map points (docs/STATUS_API.md)

const $ = (id) => document.getElementById(id);

/** Changes an element's text only when it differs, so live regions speak only of real changes. */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

class StatusPage {
  constructor() {
    this.api = StatusApi.fromDocument(document);
    this.view = parseView(window.location.hash);
    this.heartbeats = new Map(); // farmer id → highest heartbeat count seen, to spot rises
    this.summary = null;
    this.rows = [];
    this.timer = 0;
    this.inFlight = null; // AbortController of the refresh under way
    this.paused = false; // a poll came due while the tab was hidden
    this.failures = 0;
    this.lastSuccess = null;

    this.table = new FarmerTable({
      table: $('farmer-table'),
      rows: $('farmer-rows'),
      status: $('table-status'),
      prev: $('page-prev'),
      next: $('page-next'),
      onlineOnly: $('online-only'),
      pageSize: $('page-size'),
    }, {
      onSort: (key) => this.setView(toggleSort(this.view, key)),
      onPage: (delta) => this.setView({ ...this.view, page: Math.max(0, this.view.page + delta) }),
      onOnlineOnly: (on) => this.setView({ ...this.view, onlineOnly: on, page: 0 }),
      onPageSize: (n) => this.setView({ ...this.view, limit: n, page: 0 }),
      onSelect: (id) => this.select(id),
    });
    this.map = new WorldMap($('map'), { onSelect: (id) => this.select(id), message: $('map-message') });
    this.detail = new FarmerDetail(
      { panel: $('detail'), body: $('detail-body'), close: $('detail-close') },
      { onClose: () => this.select(null) },
    );
  }

  start() {
    this.table.showView(this.view);
    if (this.view.selected) this.detail.loading(this.view.selected);
    $('api-link').href = this.api.url('status/summary');
    $('api-retry').addEventListener('click', () => this.refresh());
    window.addEventListener('hashchange', () => {
      const view = parseView(window.location.hash);
      if (formatView(view) !== formatView(this.view)) this.setView(view);
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.view.selected) this.select(null);
    });
    // A hidden tab stops polling (the node serves many visitors); it catches up when shown.
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.paused) this.refresh();
    });
    this.map.load(MAP_OUTLINES).then(() => {
      if (this.summary) this.drawMap(new Set());
      else this.mapMessage('Waiting for farmers…');
    }, (err) => {
      this.mapMessage(`The map is unavailable: ${err.message}.`);
    });
    this.refresh();
  }

  /** Switches to another view (sort, page, filter, page size, selection) and fetches it now. */
  setView(view) {
    const selectionChanged = view.selected !== this.view.selected;
    this.view = view;
    const hash = formatView(view);
    window.history.replaceState(null, '', hash || `${window.location.pathname}${window.location.search}`);
    this.table.showView(view);
    if (selectionChanged) this.showSelection();
    this.refresh();
  }

  select(id) {
    if (id === this.view.selected) return;
    this.setView({ ...this.view, selected: id });
  }

  /** Reflects a new selection at once, from what the page already has, before the fetch. */
  showSelection() {
    const id = this.view.selected;
    this.table.select(id);
    this.map.select(id);
    if (!id) {
      this.detail.clear();
      return;
    }
    const known = this.rows.find((f) => f.id === id);
    if (known) this.detail.show(known, Date.now());
    else this.detail.loading(id);
  }

  /** Fetches the summary, the table page and the selected farmer together, then draws them. */
  async refresh() {
    clearTimeout(this.timer);
    this.paused = false;
    if (this.inFlight) this.inFlight.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const { signal } = controller;
    const view = this.view;
    try {
      const [summary, farmers, detail] = await Promise.all([
        this.api.summary(signal),
        this.api.list(view, signal),
        view.selected ? this.api.show(view.selected, signal).catch((err) => {
          if (err.name === 'AbortError') throw err;
          return undefined; // keep showing what we had; the next poll tries again
        }) : Promise.resolve(undefined),
      ]);
      if (signal.aborted) return;
      const total = view.onlineOnly ? summary.online : summary.farmers;
      const lastPage = Math.max(0, Math.ceil(total / view.limit) - 1);
      if (farmers.length === 0 && view.page > lastPage) {
        // The view shrank under the visitor (farmers went offline): show its last page instead.
        this.inFlight = null;
        this.setView({ ...view, page: lastPage });
        return;
      }
      this.draw(summary, farmers, detail, view);
      this.failures = 0;
      this.lastSuccess = new Date();
      this.showHealthy();
    } catch (err) {
      if (err.name === 'AbortError' || signal.aborted) return; // a newer refresh took over
      this.failures += 1;
      this.showFailure(err);
    }
    if (this.inFlight === controller) {
      this.inFlight = null;
      this.timer = setTimeout(() => this.tick(), POLL_MS);
    }
  }

  tick() {
    if (document.hidden) this.paused = true;
    else this.refresh();
  }

  draw(summary, farmers, detail, view) {
    // Rises are judged against the highest count seen so far, so a list answer that comes
    // from a slightly older cache entry cannot make a farmer "rise" twice.
    const previous = this.heartbeats;
    const risen = new Set();
    const seen = new Map();
    const note = (id, count) => {
      const before = previous.get(id);
      if (before !== undefined && count > before) risen.add(id);
      seen.set(id, Math.max(count, before ?? count, seen.get(id) ?? count));
    };
    for (const point of summary.points) note(point.id, point.heartbeats);
    for (const farmer of farmers) note(farmer.id, farmer.heartbeats);
    this.heartbeats = seen;
    this.summary = summary;
    this.rows = farmers;

    this.drawTotals(summary);
    const total = view.onlineOnly ? summary.online : summary.farmers;
    // The row flashes with the dot, whichever answer (summary or list, each possibly from a
    // cache entry of a different age) showed the rise first.
    this.table.render(view, farmers, total, risen);
    this.drawMap(risen);
    if (view.selected) {
      if (detail === null) this.detail.missing(view.selected);
      else if (detail) this.detail.show(detail, Date.now());
    }
  }

  drawTotals(summary) {
    $('total-online').textContent = formatCount(summary.online);
    $('total-farmers').textContent = formatCount(summary.farmers);
    $('total-countries').textContent = formatCount(summary.countries);
    $('total-size').textContent = formatBytes(summary.size);
    $('total-size').title = `${formatCount(summary.size)} bytes in online contracts`;
    $('total-heartbeats').textContent = formatCount(summary.heartbeats);
  }

  drawMap(risen) {
    const { points, farmers } = this.summary;
    if (this.map.ready) {
      this.map.update(points, risen, this.view.selected);
      this.mapMessage(points.length === 0
        ? (farmers === 0 ? 'No farmers yet.' : 'No farmer has a known place yet.')
        : '');
    }
    const unplaced = Math.max(0, farmers - points.length);
    let caption = '';
    if (points.length >= MAX_POINTS) {
      caption = `The first ${formatCount(points.length)} farmers with a known place, online ones first`;
    } else if (points.length > 0) {
      caption = `${formatCount(points.length)} ${points.length === 1 ? 'farmer' : 'farmers'} on the map`
        + (unplaced > 0 ? ` · ${formatCount(unplaced)} without a known place` : '');
    }
    $('map-caption').textContent = caption;
  }

  mapMessage(text) {
    const el = $('map-message');
    el.textContent = text;
    el.hidden = text === '';
  }

  showHealthy() {
    document.body.classList.remove('stale');
    $('api-error').hidden = true;
    $('api-error-alert').replaceChildren(); // so the next failure is news again
    $('live').dataset.state = 'live';
    setText($('live-state'), 'Live');
    $('live-time').textContent = ` · updated ${formatClock(this.lastSuccess)}`;
  }

  showFailure(err) {
    const since = this.lastSuccess ? ` Showing the figures from ${formatClock(this.lastSuccess)}.` : '';
    const alert = $('api-error-alert');
    if (alert.dataset.reason !== err.message || alert.childNodes.length === 0) {
      const strong = document.createElement('strong');
      strong.textContent = 'The status API is not answering.';
      alert.replaceChildren(strong, ` ${err.message}`);
      alert.dataset.reason = err.message;
    }
    $('api-error-detail').textContent =
      `Retrying every ${POLL_MS / 1000} seconds (${this.failures} failed ${this.failures === 1 ? 'try' : 'tries'}).${since}`;
    $('api-error').hidden = false;
    $('live').dataset.state = 'error';
    setText($('live-state'), this.lastSuccess ? 'Reconnecting' : 'Not connected');
    $('live-time').textContent = this.lastSuccess ? ` · last update ${formatClock(this.lastSuccess)}` : '';
    if (this.lastSuccess) {
      document.body.classList.add('stale');
    } else {
      this.table.showPlaceholder('The farmers could not be loaded yet.');
      if (this.map.ready) this.mapMessage('Waiting for the status API…');
    }
  }
}

new StatusPage().start();
