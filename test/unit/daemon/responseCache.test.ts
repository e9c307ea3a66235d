import { describe, expect, it } from 'vitest';
import type { HttpResponse, Route, RouteRequest } from '../../../src/daemon/http.js';
import { cacheResponses, readAtMostEvery } from '../../../src/daemon/responseCache.js';

function request(target: string, headers: RouteRequest['headers'] = {}): RouteRequest {
  return {
    method: 'GET',
    url: new URL(target, 'http://localhost'),
    params: {},
    headers,
    body: Buffer.alloc(0),
  };
}

/** A route counting its calls, answering `status` (200 unless told) with the call's number. */
function counting(status = () => 200) {
  const calls: string[] = [];
  const route: Route = {
    method: 'GET',
    pattern: '/x',
    handler: async (req): Promise<HttpResponse> => {
      calls.push(req.url.search);
      return { status: status(), body: String(calls.length) };
    },
  };
  return { calls, route };
}

/** What changed between the first answer (stamp 'a', no admin write, idle, at 0 ms) and the second request. */
interface Next {
  /** ms after the first answer was made */
  at: number;
  /** 'a' unless a pass ended (or another process wrote) since */
  stamp?: string;
  /** this daemon's admin writes since the first answer */
  writes?: number;
  busy?: boolean;
  noCache?: boolean;
}

const rules: {
  name: string;
  /** the first answer's status @default 200 */
  first?: number;
  next: Next;
  /** whether the second request got the first answer or a new one */
  served: 'kept' | 'made';
  stampAsked: boolean;
}[] = [
  { name: 'same stamp, within the window', next: { at: 500 }, served: 'kept', stampAsked: false },
  { name: 'same stamp, after the window', next: { at: 1_500 }, served: 'kept', stampAsked: true },
  { name: 'same stamp, after maxAgeMs', next: { at: 5_000 }, served: 'made', stampAsked: true },
  {
    name: 'a new pass within the window',
    next: { at: 999, stamp: 'b' },
    served: 'kept',
    stampAsked: false,
  },
  {
    name: 'a new pass after the window',
    next: { at: 1_000, stamp: 'b' },
    served: 'made',
    stampAsked: true,
  },
  {
    name: 'an admin write within the window',
    next: { at: 10, writes: 1 },
    served: 'made',
    stampAsked: true,
  },
  {
    name: 'an admin write while busy',
    next: { at: 10, writes: 1, busy: true },
    served: 'made',
    stampAsked: true,
  },
  {
    name: 'busy after the window, within busyMaxAgeMs',
    next: { at: 1_500, stamp: 'b', busy: true },
    served: 'kept',
    stampAsked: false,
  },
  {
    name: 'busy past busyMaxAgeMs',
    next: { at: 2_000, stamp: 'b', busy: true },
    served: 'made',
    stampAsked: true,
  },
  {
    name: 'no-cache within the window, same stamp',
    next: { at: 10, noCache: true },
    served: 'kept',
    stampAsked: true,
  },
  {
    name: 'no-cache within the window, a new pass',
    next: { at: 10, stamp: 'b', noCache: true },
    served: 'made',
    stampAsked: true,
  },
  {
    name: 'no-cache while busy, a new pass',
    next: { at: 10, stamp: 'b', busy: true, noCache: true },
    served: 'made',
    stampAsked: true,
  },
  {
    name: 'a non-200 is not kept',
    first: 503,
    next: { at: 10 },
    served: 'made',
    stampAsked: true,
  },
];

describe('cacheResponses', () => {
  it.each(rules)('$name: $served', async ({ first = 200, next, served, stampAsked }) => {
    let status = first;
    const { calls, route } = counting(() => status);
    let stamp = 'a';
    let writes = 0;
    let busy = false;
    let now = 0;
    let stampReads = 0;
    const [cached] = cacheResponses([route], {
      stamp: async () => {
        stampReads++;
        return stamp;
      },
      writes: () => writes,
      busy: () => busy,
      settleMs: 1_000,
      busyMaxAgeMs: 2_000,
      maxAgeMs: 5_000,
      now: () => now,
    });
    const handler = (cached as Route).handler;
    expect((await handler(request('/x'))).body).toBe('1');
    status = 200;
    now = next.at;
    stamp = next.stamp ?? 'a';
    writes = next.writes ?? 0;
    busy = next.busy ?? false;
    stampReads = 0;
    const headers = next.noCache ? { 'cache-control': 'max-age=0, No-Cache' } : {};
    const second = await handler(request('/x', headers));
    expect(second.body).toBe(served === 'kept' ? '1' : '2');
    expect(calls).toHaveLength(served === 'kept' ? 1 : 2);
    expect(stampReads > 0).toBe(stampAsked);
  });

  it('answers a path and query once per stamp, and afresh when the stamp changes', async () => {
    const { calls, route } = counting();
    let stamp = 'a';
    let now = 0;
    const [cached] = cacheResponses([route], { stamp: async () => stamp, now: () => now });
    const handler = (cached as Route).handler;
    expect((await handler(request('/x?q=1'))).body).toBe('1');
    expect((await handler(request('/x?q=1'))).body).toBe('1');
    expect((await handler(request('/x?q=2'))).body).toBe('2');
    stamp = 'b';
    now = 1_000; // the default settle window has passed
    expect((await handler(request('/x?q=1'))).body).toBe('3');
    expect(calls).toEqual(['?q=1', '?q=2', '?q=1']);
  });

  it('does not keep an answer as current when an admin write lands while the stamp is asked', async () => {
    const { calls, route } = counting();
    let writes = 0;
    const [cached] = cacheResponses([route], {
      stamp: async () => {
        writes++; // the write commits while the stamp's query is in flight
        return 's';
      },
      writes: () => writes,
      now: () => 0,
    });
    const handler = (cached as Route).handler;
    await handler(request('/x'));
    await handler(request('/x'));
    expect(calls).toHaveLength(2);
  });

  it('shares one answer among concurrent requests', async () => {
    const { calls, route } = counting();
    const [cached] = cacheResponses([route], { stamp: async () => 's' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => (cached as Route).handler(request('/x'))),
    );
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set(['1']));
    expect(calls).toHaveLength(1);
  });

  it('bypasses itself when the stamp fails', async () => {
    const { calls, route } = counting();
    let fail = false;
    let now = 0;
    const [cached] = cacheResponses([route], {
      stamp: async () => {
        if (fail) throw new Error('database down');
        return 's';
      },
      now: () => now,
    });
    const handler = (cached as Route).handler;
    await handler(request('/x'));
    fail = true;
    now = 1_000;
    await handler(request('/x'));
    await handler(request('/x'));
    expect(calls).toHaveLength(3);
  });

  it('holds at most maxEntries answers, dropping the oldest', async () => {
    const { calls, route } = counting();
    const [cached] = cacheResponses([route], { stamp: async () => 's', maxEntries: 2 });
    const handler = (cached as Route).handler;
    for (const q of ['?a', '?b', '?c', '?b', '?a']) await handler(request(`/x${q}`));
    expect(calls).toEqual(['?a', '?b', '?c', '?a']);
  });

  it('leaves other methods alone', () => {
    const post: Route = { method: 'POST', pattern: '/x', handler: () => ({ status: 202 }) };
    expect(cacheResponses([post], { stamp: async () => 's' })).toEqual([post]);
  });
});

describe('readAtMostEvery', () => {
  it('reads at most once per period for one key, afresh for a new key, and again after a failure', async () => {
    let reads = 0;
    let fail = false;
    let now = 0;
    const read = readAtMostEvery(
      1_000,
      async () => {
        reads++;
        if (fail) throw new Error('down');
        return reads;
      },
      () => now,
    );
    expect(await Promise.all([read('1'), read('1')])).toEqual([1, 1]);
    now = 999;
    expect(await read('1')).toBe(1);
    expect(await read('2')).toBe(2); // the key changed: a pass ended
    now = 2_000;
    fail = true;
    await expect(read('2')).rejects.toThrow('down');
    fail = false;
    expect(await read('2')).toBe(4);
  });
});
