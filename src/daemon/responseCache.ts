import type { HttpResponse, Route, RouteRequest } from './http.js';

/** Options for {@link cacheResponses}. */
export interface ResponseCacheOptions {
  /**
   * What the responses depend on (the cursor's stamp, the daemon's own count of passes): a new
   * value answers afresh. Asked only once an answer is older than `settleMs`. A throw bypasses the
   * cache for that request.
   */
  stamp: () => Promise<string>;
  /**
   * Changes that must be seen at once (this daemon's own admin writes: read-after-write): a kept
   * answer made under another value is never served, neither in the settle window nor while busy.
   * @default () => 0
   */
  writes?: () => number;
  /**
   * An answer younger than this is served again without asking the stamp, even if passes ended
   * since: with readers polling, each path is made at most about once per window, not once per
   * commit. A request with `Cache-Control: no-cache` skips it and asks the stamp. @default 1_000
   */
  settleMs?: number;
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
  writes: number;
  at: number;
  response: Promise<HttpResponse>;
}

/** The request says it must see the latest (`Cache-Control: no-cache`): the stamp is asked. */
function revalidates(request: RouteRequest): boolean {
  const header = request.headers['cache-control'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((directive) => directive.trim().toLowerCase() === 'no-cache');
}

/**
 * Wraps GET routes so that each path-and-query is answered once per stamp, and at most about once
 * per settle window: readers polling ten times a second cost one read and one render per second
 * at most, not per request or per commit, and concurrent requests for the same thing share one
 * answer in flight. While the sync is busy, what is kept is served without asking. An admin write
 * (`writes`) invalidates everything at once. Only 200s are kept.
 */
export function cacheResponses(routes: readonly Route[], options: ResponseCacheOptions): Route[] {
  const maxAgeMs = options.maxAgeMs ?? 5_000;
  const settleMs = options.settleMs ?? 1_000;
  const busyMaxAgeMs = options.busyMaxAgeMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 32;
  const writes = options.writes ?? (() => 0);
  const busy = options.busy ?? (() => false);
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, Entry>();

  const keep = (
    key: string,
    stamp: string,
    written: number,
    produce: () => Promise<HttpResponse>,
  ) => {
    const entry: Entry = { stamp, writes: written, at: now(), response: produce() };
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

  /** A kept answer served without asking the stamp: no admin write since, and young enough. */
  const settled = (known: Entry | undefined, request: RouteRequest): Entry | undefined => {
    if (!known || known.writes !== writes() || revalidates(request)) return undefined;
    const age = now() - known.at;
    return age < settleMs || (busy() && age < busyMaxAgeMs) ? known : undefined;
  };

  return routes.map((route) => {
    if (route.method !== 'GET') return route;
    const handler = async (request: RouteRequest): Promise<HttpResponse> => {
      const produce = async () => route.handler(request);
      const key = `${request.url.pathname}${request.url.search}`;
      const known = settled(entries.get(key), request);
      if (known) return known.response;
      // Read before the stamp: a write landing while the stamp is asked must not be hidden.
      const written = writes();
      let stamp: string;
      try {
        stamp = await options.stamp();
      } catch {
        return produce();
      }
      const current = entries.get(key);
      if (
        current &&
        current.stamp === stamp &&
        current.writes === written &&
        now() - current.at < maxAgeMs
      )
        return current.response;
      return keep(key, stamp, written, produce);
    };
    return { ...route, handler };
  });
}

/**
 * A reader that asks `read` at most once per `ms` (concurrent callers share the answer), and
 * afresh whenever `key` differs from the last read's: for a stamp's database part, which only
 * another process changes between the daemon's own passes and writes.
 */
export function readAtMostEvery<T>(
  ms: number,
  read: () => Promise<T>,
  now: () => number = () => performance.now(),
): (key: string) => Promise<T> {
  let last: { key: string; at: number; value: Promise<T> } | null = null;
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
