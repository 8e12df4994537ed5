// What the visitor chose to look at (sort, direction, filter, page, selected farmer), kept in the
// URL fragment so a reload or a shared link shows the same view: #sort=uptime&dir=desc&page=2.

import { SORT_KEYS } from './status_api.js';

export const PAGE_SIZES = [10, 25, 50, 100];

/** The view a first visit shows: best uptime first, like the original status page. */
export const DEFAULT_VIEW = Object.freeze({
  sort: 'uptime',
  descending: true,
  onlineOnly: false,
  limit: 25,
  page: 0,
  selected: null,
});

const FARMER_ID = /^[0-9a-f]{1,64}$/i;

/** Reads a view from a fragment ("#sort=size&dir=asc&online=1&rows=50&page=3&farmer=ab12");
 *  anything missing or malformed keeps its default. The fragment's page is 1-based. */
export function parseView(hash) {
  const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const view = { ...DEFAULT_VIEW };
  const sort = params.get('sort');
  if (SORT_KEYS.includes(sort)) view.sort = sort;
  const dir = params.get('dir');
  if (dir === 'asc' || dir === 'desc') view.descending = dir === 'desc';
  view.onlineOnly = params.get('online') === '1';
  const rows = Number(params.get('rows'));
  if (PAGE_SIZES.includes(rows)) view.limit = rows;
  const page = Number(params.get('page'));
  if (Number.isInteger(page) && page >= 1 && page <= 1e6) view.page = page - 1;
  const farmer = params.get('farmer');
  if (farmer && FARMER_ID.test(farmer)) view.selected = farmer.toLowerCase();
  return view;
}

/** The fragment for a view, naming only what differs from the default. */
export function formatView(view) {
  const params = new URLSearchParams();
  if (view.sort !== DEFAULT_VIEW.sort) params.set('sort', view.sort);
  if (view.descending !== DEFAULT_VIEW.descending || view.sort !== DEFAULT_VIEW.sort) {
    params.set('dir', view.descending ? 'desc' : 'asc');
  }
  if (view.onlineOnly) params.set('online', '1');
  if (view.limit !== DEFAULT_VIEW.limit) params.set('rows', String(view.limit));
  if (view.page > 0) params.set('page', String(view.page + 1));
  if (view.selected) params.set('farmer', view.selected);
  const text = params.toString();
  return text ? `#${text}` : '';
}

/** The view after a click on the header of `key`: the same column flips direction, a new
 *  column starts ascending; either way back to the first page. */
export function toggleSort(view, key) {
  const descending = view.sort === key ? !view.descending : false;
  return { ...view, sort: key, descending, page: 0 };
}
