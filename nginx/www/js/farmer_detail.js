// The detail panel: everything the API says about one farmer, shown beside the map (below it on a
// phone). Renders a farmer object from status/show/<id>, a "no longer known" note, or the hint.

import {
  abbreviate, formatBytes, formatCoordinates, formatCount, formatPercent, formatPlace,
  formatRelativeTime, formatUtc, isLocated,
} from './format.js';

export class FarmerDetail {
  /** elements: {panel, body, close}; onClose() is called by the close button. */
  constructor(elements, { onClose }) {
    this.el = elements;
    // What the panel shows with no farmer selected: the page's own first content.
    this.idle = [...elements.body.childNodes].map((node) => node.cloneNode(true));
    this.el.close.addEventListener('click', () => onClose());
  }

  /** No farmer selected. */
  clear() {
    this.el.panel.classList.remove('has-farmer');
    this.el.panel.removeAttribute('data-id');
    this.el.close.hidden = true;
    this.el.body.replaceChildren(...this.idle.map((node) => node.cloneNode(true)));
  }

  /** The selected farmer is being fetched (first time only; refreshes keep the old text). */
  loading(id) {
    if (this.el.panel.dataset.id === id) return;
    this.el.panel.dataset.id = id;
    this.el.close.hidden = false;
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = `Loading farmer ${id}…`;
    this.el.body.replaceChildren(p);
  }

  /** The node answered 404 for the selected id. */
  missing(id) {
    this.el.panel.dataset.id = id;
    this.el.panel.classList.remove('has-farmer');
    this.el.close.hidden = false;
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = `The node does not know a farmer with id ${id} (any more).`;
    this.el.body.replaceChildren(p);
  }

  /** Shows one farmer object; nowMs anchors "due in 40 seconds". */
  show(farmer, nowMs) {
    this.el.panel.dataset.id = farmer.id;
    this.el.panel.classList.add('has-farmer');
    this.el.close.hidden = false;

    const loc = farmer.location || {};
    const head = document.createElement('div');
    head.className = 'detail-head';
    const title = document.createElement('div');
    const place = document.createElement('p');
    place.className = 'detail-place';
    place.textContent = formatPlace(loc);
    title.append(place);
    const extra = [];
    if (typeof loc.zip === 'string' && loc.zip !== '') extra.push(loc.zip);
    if (isLocated(loc)) extra.push(formatCoordinates(loc.lat, loc.lon));
    if (extra.length) {
      const sub = document.createElement('p');
      sub.className = 'detail-sub';
      sub.textContent = extra.join(' · ');
      title.append(sub);
    }
    const pill = document.createElement('span');
    pill.className = `pill ${farmer.online ? 'pill-online' : 'pill-offline'}`;
    pill.textContent = farmer.online ? 'Online' : 'Offline';
    head.append(title, pill);

    const list = document.createElement('dl');
    list.className = 'facts';
    const add = (key, label, text, { mono = false, title = '' } = {}) => {
      const div = document.createElement('div');
      div.dataset.field = key;
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = text;
      if (mono) dd.classList.add('mono');
      if (title) dd.title = title;
      div.append(dt, dd);
      list.append(div);
      return dd;
    };
    add('address', 'Address', farmer.address, { mono: true });
    add('id', 'Farmer id', farmer.id, { mono: true });
    const uptime = add('uptime', 'Uptime', formatPercent(farmer.uptime));
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.style.width = `${Math.min(100, Math.max(0, Number(farmer.uptime) || 0))}%`;
    bar.append(fill);
    uptime.append(bar);
    add('heartbeats', 'Heartbeats', formatCount(farmer.heartbeats));
    add('contracts', 'Contracts online', formatCount(farmer.contracts));
    add('size', 'Data stored', formatBytes(farmer.size), { title: `${formatCount(farmer.size)} bytes` });
    const due = add('last_due', 'Last due', '');
    if (farmer.last_due) {
      const time = document.createElement('time');
      time.dateTime = farmer.last_due;
      time.textContent = formatRelativeTime(farmer.last_due, nowMs);
      time.title = formatUtc(farmer.last_due);
      due.append(time);
    } else {
      due.textContent = 'never';
    }
    add('ip_hash', 'IP hash', abbreviate(farmer.ip_hash || '–', 12, 4), { mono: true, title: farmer.ip_hash || '' });

    this.el.body.replaceChildren(head, list);
  }
}
