// The page's client of the node's status API (docs/STATUS_API.md). Builds the route for a table
// view and fetches JSON with a timeout; every failure becomes an ApiError with a message a
// visitor can read.

export const SORT_KEYS = ['id', 'address', 'uptime', 'heartbeats', 'contracts', 'size', 'online'];
const TIMEOUT_MS = 8000;

/** A failed API call: HTTP status (0 when nothing answered) and a readable reason. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * The list route for one table page:
 * {sort: 'uptime', descending: true, onlineOnly: false, limit: 25, page: 0}
 * → "status/list/by/d/uptime/25/0".
 */
export function listRoute({ sort, descending, onlineOnly, limit, page }) {
  if (!SORT_KEYS.includes(sort)) throw new RangeError(`unknown sort key ${sort}`);
  const parts = ['status', 'list'];
  if (onlineOnly) parts.push('online');
  parts.push('by');
  if (descending) parts.push('d');
  parts.push(sort, String(limit), String(page));
  return parts.join('/');
}

/** The detail route of one farmer; the id is escaped so no id can change the path. */
export function showRoute(id) {
  return `status/show/${encodeURIComponent(id)}`;
}

export class StatusApi {
  /** base: absolute URL of the API prefix, ending in "/" (e.g. https://node/api/downstream/v1/). */
  constructor(base) {
    this.base = base.endsWith('/') ? base : `${base}/`;
  }

  /** The API base named by the page's <meta name="downstream-status-api">, resolved against it. */
  static fromDocument(doc) {
    const meta = doc.querySelector('meta[name="downstream-status-api"]');
    return new StatusApi(new URL(meta ? meta.content : 'api/downstream/v1/', doc.baseURI).href);
  }

  url(route) {
    return new URL(route, this.base).href;
  }

  /** GET a route's JSON. Rejects with ApiError; aborting through `signal` rejects with AbortError. */
  async get(route, signal) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
    const onAbort = () => timeout.abort();
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    let response;
    try {
      response = await fetch(this.url(route), {
        signal: timeout.signal,
        cache: 'no-store',
        headers: { Accept: 'application/json' },
      });
    } catch (err) {
      if (signal && signal.aborted) throw new DOMException('aborted', 'AbortError');
      throw new ApiError(0, timeout.signal.aborted
        ? `No answer within ${TIMEOUT_MS / 1000} seconds.`
        : 'The node could not be reached.');
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    if (!response.ok) {
      const reason = body && typeof body.message === 'string' ? body.message : response.statusText;
      throw new ApiError(response.status, `HTTP ${response.status}${reason ? `: ${reason}` : ''}.`);
    }
    if (body === null || typeof body !== 'object') {
      throw new ApiError(response.status, 'The answer was not valid JSON.');
    }
    return body;
  }

  /** {farmers, online, countries, size, heartbeats, points[]} */
  async summary(signal) {
    const body = await this.get('status/summary', signal);
    if (!Array.isArray(body.points)) throw new ApiError(200, 'The summary has no points list.');
    return body;
  }

  /** One page of farmers for a table view (see listRoute). */
  async list(view, signal) {
    const body = await this.get(listRoute(view), signal);
    if (!Array.isArray(body.farmers)) throw new ApiError(200, 'The list has no farmers array.');
    return body.farmers;
  }

  /** One farmer, or null when the node does not know it (404). */
  async show(id, signal) {
    try {
      return await this.get(showRoute(id), signal);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }
}
