import type { HttpResponse, Route, RouteRequest } from './http.js';

/** Options for {@link cacheResponses}. */
export interface ResponseCacheOptions {
  /**
   * What the responses depend on (the cursor's stamp, the daemon's own count of passes and ref
   * moves): a new value answers afresh. A throw bypasses the cache for that request.
   */
  stamp: () => Promise<string>;
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
 * requests for the same thing share one answer in flight. Only 200s are kept.
 */
export function cacheResponses(routes: readonly Route[], options: ResponseCacheOptions): Route[] {
  const maxAgeMs = options.maxAgeMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 32;
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, Entry>();

  const answer = (key: string, stamp: string, produce: () => Promise<HttpResponse>) => {
    const known = entries.get(key);
    if (known && known.stamp === stamp && now() - known.at < maxAgeMs) return known.response;
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
      let stamp: string;
      try {
        stamp = await options.stamp();
      } catch {
        return produce();
      }
      return answer(`${request.url.pathname}${request.url.search}`, stamp, produce);
    };
    return { ...route, handler };
  });
}
