// The farmer table: sortable headers (buttons with aria-sort), one row per farmer of the current
// page, the pager and the online-only switch. It renders what it is given and reports the
// visitor's choices through callbacks; fetching is the page's business.

import { abbreviate, formatBytes, formatCount, formatPercent, formatPlace } from './format.js';

const COLUMNS = 8;

function cell(className, text, value) {
  const td = document.createElement('td');
  td.className = className;
  if (text !== undefined) td.textContent = text;
  if (value !== undefined) td.dataset.value = String(value);
  return td;
}

// "Berlin, Germany"; the country is a separate span so a phone can show the city alone.
function placeCell(location) {
  const loc = location || {};
  const td = cell('col-place');
  td.title = formatPlace(loc);
  if (loc.city && loc.country && loc.city !== loc.country) {
    const city = document.createElement('span');
    city.textContent = loc.city;
    const country = document.createElement('span');
    country.className = 'country';
    country.textContent = `, ${loc.country}`;
    td.append(city, country);
  } else {
    td.textContent = formatPlace(loc, { short: true });
  }
  return td;
}

export class FarmerTable {
  /**
   * elements: {table, rows, status, prev, next, onlineOnly, pageSize};
   * callbacks: {onSort(key), onPage(delta), onOnlineOnly(bool), onPageSize(n), onSelect(id)}.
   */
  constructor(elements, callbacks) {
    this.el = elements;
    this.cb = callbacks;
    for (const button of this.el.table.querySelectorAll('thead button[data-sort]')) {
      button.addEventListener('click', () => this.cb.onSort(button.dataset.sort));
    }
    this.el.prev.addEventListener('click', () => this.cb.onPage(-1));
    this.el.next.addEventListener('click', () => this.cb.onPage(+1));
    this.el.onlineOnly.addEventListener('change', () => this.cb.onOnlineOnly(this.el.onlineOnly.checked));
    this.el.pageSize.addEventListener('change', () => this.cb.onPageSize(Number(this.el.pageSize.value)));
    this.el.rows.addEventListener('click', (event) => {
      const row = event.target.closest('tr[data-id]');
      // A visitor selecting text to copy an address is not asking for the detail view.
      if (row && String(window.getSelection()).length === 0) this.cb.onSelect(row.dataset.id);
    });
  }

  /** Sets headers, switch and page-size control to match the view. */
  showView(view) {
    for (const th of this.el.table.querySelectorAll('thead th')) {
      const button = th.querySelector('button[data-sort]');
      if (!button) continue;
      const active = button.dataset.sort === view.sort;
      th.setAttribute('aria-sort', active ? (view.descending ? 'descending' : 'ascending') : 'none');
    }
    this.el.prev.disabled = view.page === 0; // at once, so a second click cannot run ahead
    this.el.onlineOnly.checked = view.onlineOnly;
    this.el.pageSize.value = String(view.limit);
  }

  /**
   * Draws one page. total: how many farmers the view has in all (from the summary), so the
   * pager knows the last page; risen: ids whose heartbeat count rose at this poll (judged
   * from the summary and the list together, as the map does), so their counts flash.
   */
  render(view, farmers, total, risen) {
    this.showView(view);
    const focusedId = this.focusedRowId();
    const rows = farmers.map((farmer) => this.row(farmer, view.selected, risen));
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      tr.className = 'placeholder';
      const td = cell('empty', view.onlineOnly
        ? 'No farmers are online right now.'
        : 'No farmers have registered with this node yet.');
      td.colSpan = COLUMNS;
      tr.append(td);
      rows.push(tr);
    }
    this.el.rows.replaceChildren(...rows);
    if (focusedId) {
      const button = this.el.rows.querySelector(`tr[data-id="${CSS.escape(focusedId)}"] button`);
      if (button) button.focus({ preventScroll: true });
    }

    const first = view.page * view.limit;
    const lastPage = Math.max(0, Math.ceil(total / view.limit) - 1);
    this.el.prev.disabled = view.page === 0;
    this.el.next.disabled = view.page >= lastPage || farmers.length < view.limit;
    const what = view.onlineOnly ? 'online farmers' : 'farmers';
    const status = farmers.length === 0
      ? `No ${what}`
      : `${formatCount(first + 1)}–${formatCount(first + farmers.length)} of ${formatCount(Math.max(total, first + farmers.length))} ${what} · page ${formatCount(view.page + 1)} of ${formatCount(lastPage + 1)}`;
    // A live region: rewrite it only when it says something new.
    if (this.el.status.textContent !== status) this.el.status.textContent = status;
  }

  /** A message instead of rows, for the first load and for an API that never answered. */
  showPlaceholder(text) {
    const tr = document.createElement('tr');
    tr.className = 'placeholder';
    const td = cell('empty', text);
    td.colSpan = COLUMNS;
    tr.append(td);
    this.el.rows.replaceChildren(tr);
  }

  /** Marks the selected farmer's row. */
  select(id) {
    for (const tr of this.el.rows.querySelectorAll('tr[data-id]')) {
      const selected = tr.dataset.id === id;
      tr.classList.toggle('selected', selected);
      if (selected) tr.setAttribute('aria-current', 'true');
      else tr.removeAttribute('aria-current');
    }
  }

  focusedRowId() {
    const active = document.activeElement;
    const row = active && this.el.rows.contains(active) ? active.closest('tr[data-id]') : null;
    return row ? row.dataset.id : null;
  }

  row(farmer, selectedId, risen) {
    const tr = document.createElement('tr');
    tr.dataset.id = farmer.id;
    tr.classList.add('farmer', farmer.online ? 'online' : 'offline');
    if (farmer.id === selectedId) {
      tr.classList.add('selected');
      tr.setAttribute('aria-current', 'true');
    }

    const status = cell('col-online', undefined, farmer.online);
    const pill = document.createElement('span');
    pill.className = `pill ${farmer.online ? 'pill-online' : 'pill-offline'}`;
    pill.textContent = farmer.online ? 'Online' : 'Offline';
    status.append(pill);

    const idCell = cell('col-id', undefined, farmer.id);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'farmer-link mono';
    button.textContent = farmer.id;
    button.title = 'Show this farmer’s details';
    idCell.append(button);

    const address = cell('col-address mono', undefined, farmer.address);
    const full = document.createElement('span');
    full.className = 'visually-hidden';
    full.textContent = farmer.address;
    const short = document.createElement('span');
    short.className = 'short';
    short.textContent = abbreviate(farmer.address);
    short.setAttribute('aria-hidden', 'true');
    address.append(full, short);
    address.title = farmer.address;

    const uptime = cell('col-uptime num', undefined, farmer.uptime);
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.style.width = `${Math.min(100, Math.max(0, Number(farmer.uptime) || 0))}%`;
    bar.append(fill);
    const uptimeText = document.createElement('span');
    uptimeText.textContent = formatPercent(farmer.uptime);
    uptime.append(uptimeText, bar);

    const heartbeats = cell('col-heartbeats num', formatCount(farmer.heartbeats), farmer.heartbeats);
    if (risen.has(farmer.id)) heartbeats.classList.add('beat');

    tr.append(
      status,
      idCell,
      address,
      placeCell(farmer.location),
      uptime,
      heartbeats,
      cell('col-contracts num', formatCount(farmer.contracts), farmer.contracts),
      cell('col-size num', formatBytes(farmer.size), farmer.size),
    );
    for (const td of tr.children) {
      const key = td.className.match(/col-(\w+)/);
      if (key) td.dataset.field = key[1];
    }
    return tr;
  }
}
