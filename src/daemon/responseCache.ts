import type { HttpResponse, Route, RouteRequest } from './http.js';

/** Options for {@link cacheResponses}. */
export interface ResponseCacheOptions {
  /**
   * What the responses depend on (the cursor's stamp, the daemon's own count of passes): a new
   * value answers afresh. A throw bypasses the cache for that request.
   */
  stamp: () => Promise<string>;
  /**
   * True while the sync is at work (a pass running, or nudged and about to): then a kept answer
   * is served as it is, stamp unasked, so readers add no query or render to the sync's path.
   * @default () => false
   */
  busy?: () => boolean;
  /** A kept answer older than this is made afresh even while busy (a long backlog still shows progress). @default 2_000 */
  busyMaxAgeMs?: number;
  /** An answer older than this is made afresh even on the same stamp (operator changes). @default 5_000 */
  maxAgeMs?: number;
  /** Distinct paths and queries kept; the oldest goes first. @default 32 */
  maxEntries?: number;
  /** @default performance.now */
  now?: () => number;
}

interface Entry {
  stamp: string;
  at: number;
  response: Promise<HttpResponse>;
}

/**
 * Wraps GET routes so that each path-and-query is answered once per stamp: readers polling ten
 * times a second cost one read and one render per change, not per request, and concurrent
 * requests for the same thing share one answer in flight. While the sync is busy, what is kept is
 * served without asking. Only 200s are kept.
 */
export function cacheResponses(routes: readonly Route[], options: ResponseCacheOptions): Route[] {
  const maxAgeMs = options.maxAgeMs ?? 5_000;
  const busyMaxAgeMs = options.busyMaxAgeMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 32;
  const busy = options.busy ?? (() => false);
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, Entry>();

  const keep = (key: string, stamp: string, produce: () => Promise<HttpResponse>) => {
    const entry: Entry = { stamp, at: now(), response: produce() };
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
    const forget = () => {
      if (entries.get(key) === entry) entries.delete(key);
    };
    entry.response.then((response) => {
      if (response.status !== 200) forget();
    }, forget);
    return entry.response;
  };

  return routes.map((route) => {
    if (route.method !== 'GET') return route;
    const handler = async (request: RouteRequest): Promise<HttpResponse> => {
      const produce = async () => route.handler(request);
      const key = `${request.url.pathname}${request.url.search}`;
      const known = entries.get(key);
      if (known && busy() && now() - known.at < busyMaxAgeMs) return known.response;
      let stamp: string;
      try {
        stamp = await options.stamp();
      } catch {
        return produce();
      }
      const current = entries.get(key);
      if (current && current.stamp === stamp && now() - current.at < maxAgeMs)
        return current.response;
      return keep(key, stamp, produce);
    };
    return { ...route, handler };
  });
}

/**
 * A reader that asks `read` at most once per `ms` (concurrent callers share the answer), and
 * afresh whenever `key` differs from the last read's: for a stamp's database part, which only
 * another process changes between the daemon's own passes.
 */
export function readAtMostEvery<T>(
  ms: number,
  read: () => Promise<T>,
  now: () => number = () => performance.now(),
): (key: number) => Promise<T> {
  let last: { key: number; at: number; value: Promise<T> } | null = null;
  return (key) => {
    if (last && last.key === key && now() - last.at < ms) return last.value;
    const value = read();
    const entry = { key, at: now(), value };
    last = entry;
    value.catch(() => {
      if (last === entry) last = null;
    });
    return value;
  };
}
