import { describe, expect, it } from 'vitest';
import type { HttpResponse, Route, RouteRequest } from '../../../src/daemon/http.js';
import { cacheResponses, readAtMostEvery } from '../../../src/daemon/responseCache.js';

function request(target: string): RouteRequest {
  return {
    method: 'GET',
    url: new URL(target, 'http://localhost'),
    params: {},
    headers: {},
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

describe('cacheResponses', () => {
  it('answers a path and query once per stamp, and afresh when the stamp changes', async () => {
    const { calls, route } = counting();
    let stamp = 'a';
    const [cached] = cacheResponses([route], { stamp: async () => stamp });
    const handler = (cached as Route).handler;
    expect((await handler(request('/x?q=1'))).body).toBe('1');
    expect((await handler(request('/x?q=1'))).body).toBe('1');
    expect((await handler(request('/x?q=2'))).body).toBe('2');
    stamp = 'b';
    expect((await handler(request('/x?q=1'))).body).toBe('3');
    expect(calls).toEqual(['?q=1', '?q=2', '?q=1']);
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

  it('keeps nothing but 200s, answers afresh after maxAgeMs, and bypasses itself when the stamp fails', async () => {
    let code = 503;
    const { calls, route } = counting(() => code);
    let now = 0;
    let fail = false;
    const [cached] = cacheResponses([route], {
      stamp: async () => {
        if (fail) throw new Error('database down');
        return 's';
      },
      maxAgeMs: 1_000,
      now: () => now,
    });
    const handler = (cached as Route).handler;
    await handler(request('/x'));
    code = 200;
    await handler(request('/x'));
    await handler(request('/x'));
    expect(calls).toHaveLength(2);
    now = 1_000;
    await handler(request('/x'));
    expect(calls).toHaveLength(3);
    fail = true;
    await handler(request('/x'));
    expect(calls).toHaveLength(4);
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

  it('serves what it keeps, stamp unasked, while the sync is busy, up to busyMaxAgeMs', async () => {
    const { calls, route } = counting();
    let stamp = 'a';
    let stampReads = 0;
    let busy = false;
    let now = 0;
    const [cached] = cacheResponses([route], {
      stamp: async () => {
        stampReads++;
        return stamp;
      },
      busy: () => busy,
      busyMaxAgeMs: 2_000,
      now: () => now,
    });
    const handler = (cached as Route).handler;
    expect((await handler(request('/x'))).body).toBe('1');
    busy = true;
    stamp = 'b'; // a pass is applying a commit
    expect((await handler(request('/x'))).body).toBe('1');
    expect((await handler(request('/y'))).body).toBe('2'); // nothing kept: answered
    expect(stampReads).toBe(2);
    now = 2_000;
    expect((await handler(request('/x'))).body).toBe('3'); // too old even while busy
    busy = false;
    now = 2_001;
    expect((await handler(request('/x'))).body).toBe('3');
    stamp = 'c'; // the pass ended
    expect((await handler(request('/x'))).body).toBe('4');
    expect(calls).toHaveLength(4);
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
    expect(await Promise.all([read(1), read(1)])).toEqual([1, 1]);
    now = 999;
    expect(await read(1)).toBe(1);
    expect(await read(2)).toBe(2); // the key changed: a pass ended
    now = 2_000;
    fail = true;
    await expect(read(2)).rejects.toThrow('down');
    fail = false;
    expect(await read(2)).toBe(4);
  });
});
