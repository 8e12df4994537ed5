// The world map: country outlines (world-atlas, drawn once with d3-geo) and one dot per located
// farmer, updated in place on every poll. A dot whose farmer's heartbeat count rose since the
// previous poll pulses. Needs the globals d3 (d3-array + d3-geo) and topojson (topojson-client).

import { formatCount } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const MARGIN = 8;
const ANTARCTICA = '010'; // ISO 3166 numeric
const SOUTH_EDGE = -58; // degrees of latitude where the map is cut off
const PULSE_MS = 4500; // a dot stays highlighted for most of one 5 s poll
const PICK_RADIUS_PX = 14; // a click this close to a dot selects it (small dots, fat fingers)

function svgElement(name, attributes = {}) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  return el;
}

export class WorldMap {
  /** container: the element the map draws into; onSelect(id) is called for a click on a dot. */
  constructor(container, { onSelect, message }) {
    this.container = container;
    this.message = message;
    this.onSelect = onSelect;
    this.dots = new Map(); // id → {circle, x, y, online, timer}
    this.svg = null;
    this.projection = null;
    this.selected = null;
  }

  /** Fetches the TopoJSON outlines and draws the empty map. Rejects if the libraries or the
   *  outlines are missing; the page then goes on without a map. */
  async load(topologyUrl) {
    const { d3, topojson } = window;
    if (!d3 || typeof d3.geoNaturalEarth1 !== 'function' || !topojson) {
      throw new Error('the map libraries did not load');
    }
    const response = await fetch(topologyUrl);
    if (!response.ok) throw new Error(`the map outlines answered HTTP ${response.status}`);
    const topology = await response.json();
    const countries = topojson.feature(topology, topology.objects.countries);
    countries.features = countries.features.filter((f) => f.id !== ANTARCTICA);

    // The whole globe's outline fills the width; the view stops south of Cape Horn, as no one
    // farms on the ice.
    const sphere = { type: 'Sphere' };
    const projection = d3.geoNaturalEarth1().fitWidth(WIDTH - 2 * MARGIN, sphere);
    const [tx, ty] = projection.translate();
    projection.translate([tx + MARGIN, ty + MARGIN]);
    const height = Math.ceil(projection([0, SOUTH_EDGE])[1]) + MARGIN;
    const path = d3.geoPath(projection);
    this.projection = projection;

    const svg = svgElement('svg', {
      viewBox: `0 0 ${WIDTH} ${height}`,
      class: 'world',
      role: 'img',
      'aria-label': 'World map of farmers',
    });
    svg.append(
      svgElement('path', { class: 'ocean', d: path(sphere) }),
      svgElement('path', { class: 'graticule', d: path(d3.geoGraticule10()) }),
      svgElement('path', { class: 'land', d: path(countries) }),
      svgElement('path', {
        class: 'borders',
        d: path(topojson.mesh(topology, topology.objects.countries, (a, b) => a !== b)),
      }),
    );
    this.layers = {
      offline: svgElement('g', { class: 'dots dots-offline' }),
      online: svgElement('g', { class: 'dots dots-online' }),
      rings: svgElement('g', { class: 'rings', 'aria-hidden': 'true' }),
      selection: svgElement('g', { class: 'selection', 'aria-hidden': 'true' }),
    };
    svg.append(this.layers.offline, this.layers.online, this.layers.rings, this.layers.selection);
    svg.addEventListener('click', (event) => this.pick(event));
    svg.addEventListener('pointerover', (event) => {
      const id = event.target.dataset && event.target.dataset.id;
      const dot = id ? this.dots.get(id) : null;
      if (dot && !dot.circle.firstChild) this.describe(id, dot);
    });

    this.container.replaceChildren(svg, this.message);
    this.svg = svg;
    this.watchSize();
  }

  get ready() {
    return this.svg !== null;
  }

  /** Keeps dots about the same size on screen however wide the map is drawn. */
  watchSize() {
    const apply = () => {
      const width = this.svg.clientWidth || WIDTH;
      const screenRadius = width < 600 ? 3.6 : 4.6;
      this.svg.style.setProperty('--dot-r', `${(screenRadius * WIDTH) / width}px`);
      this.svg.style.setProperty('--map-unit', `${WIDTH / width}`);
    };
    apply();
    if (typeof ResizeObserver === 'function') new ResizeObserver(apply).observe(this.svg);
  }

  /**
   * Shows exactly the given points ({id, lat, lon, online, heartbeats}); the ids in `risen`
   * pulse. Dots are reused between polls so an update costs no layout of the whole map.
   */
  update(points, risen, selectedId) {
    if (!this.ready) return;
    const seen = new Set();
    // New dots gather in fragments and join the live SVG at once: far cheaper for the first
    // 10,000 than one insertion each.
    const fresh = { online: document.createDocumentFragment(), offline: document.createDocumentFragment() };
    for (const point of points) {
      const xy = this.projection([point.lon, point.lat]);
      if (!xy || seen.has(point.id)) continue;
      seen.add(point.id);
      let dot = this.dots.get(point.id);
      if (!dot) {
        const circle = document.createElementNS(SVG_NS, 'circle');
        circle.setAttribute('class', 'dot');
        circle.setAttribute('r', '4');
        circle.dataset.id = point.id;
        dot = { circle, x: NaN, y: NaN, online: null, heartbeats: null, timer: 0, pulses: 0 };
        this.dots.set(point.id, dot);
      }
      const [x, y] = xy;
      if (x !== dot.x || y !== dot.y) {
        dot.circle.setAttribute('cx', x.toFixed(1));
        dot.circle.setAttribute('cy', y.toFixed(1));
        dot.x = x;
        dot.y = y;
      }
      const stateChanged = point.online !== dot.online;
      if (stateChanged) { // always true for a new dot
        dot.online = point.online;
        dot.circle.classList.toggle('online', point.online);
        dot.circle.classList.toggle('offline', !point.online);
        const into = dot.circle.isConnected ? this.layers : fresh;
        (point.online ? into.online : into.offline).append(dot.circle);
      }
      dot.heartbeats = point.heartbeats;
      if (dot.circle.firstChild) this.describe(point.id, dot);
      if (risen.has(point.id)) this.pulse(dot);
    }
    this.layers.online.append(fresh.online);
    this.layers.offline.append(fresh.offline);
    for (const [id, dot] of this.dots) {
      if (!seen.has(id)) {
        clearTimeout(dot.timer);
        dot.circle.remove();
        this.dots.delete(id);
      }
    }
    this.select(selectedId);
    const online = points.filter((p) => p.online).length;
    this.svg.setAttribute('aria-label',
      `World map: ${online} online and ${points.length - online} offline farmers with a known place`);
  }

  /** The dot's tooltip, made when the pointer first reaches it (10,000 titles cost a first paint). */
  describe(id, dot) {
    let title = dot.circle.firstChild;
    if (!title) {
      title = svgElement('title');
      dot.circle.append(title);
    }
    title.textContent = `Farmer ${id} · ${dot.online ? 'online' : 'offline'} · ${formatCount(dot.heartbeats)} heartbeats`;
  }

  /** Marks one farmer's dot as selected (null: none). */
  select(id) {
    this.selected = id;
    if (!this.ready) return;
    const dot = id ? this.dots.get(id) : null;
    if (!dot) {
      this.layers.selection.replaceChildren();
      return;
    }
    let ring = this.layers.selection.firstChild;
    if (!ring) {
      ring = svgElement('circle', { class: 'selected-ring' });
      this.layers.selection.append(ring);
    }
    ring.setAttribute('cx', dot.x.toFixed(1));
    ring.setAttribute('cy', dot.y.toFixed(1));
    this.layers.selection.dataset.id = id;
  }

  pulse(dot) {
    dot.pulses += 1;
    dot.circle.dataset.pulses = String(dot.pulses);
    dot.circle.classList.add('pulse');
    clearTimeout(dot.timer);
    dot.timer = setTimeout(() => dot.circle.classList.remove('pulse'), PULSE_MS);
    const ring = svgElement('circle', {
      class: dot.online ? 'ring' : 'ring ring-offline',
      cx: dot.x.toFixed(1),
      cy: dot.y.toFixed(1),
      r: 4,
    });
    ring.addEventListener('animationend', () => ring.remove());
    setTimeout(() => ring.remove(), PULSE_MS); // in case animations are off
    this.layers.rings.append(ring);
  }

  /** Selects the dot under the click, or else the nearest one within a finger's reach. */
  pick(event) {
    const target = event.target;
    if (target instanceof SVGCircleElement && target.classList.contains('dot')) {
      this.onSelect(target.dataset.id);
      return;
    }
    const matrix = this.svg.getScreenCTM();
    if (!matrix) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    const reach = PICK_RADIUS_PX / matrix.a;
    let best = null;
    let bestDistance = reach * reach;
    for (const [id, dot] of this.dots) {
      const d = (dot.x - point.x) ** 2 + (dot.y - point.y) ** 2;
      if (d <= bestDistance) {
        best = id;
        bestDistance = d;
      }
    }
    if (best) this.onSelect(best);
  }
}
