import { describe, expect, it } from 'vitest';
import type { HttpResponse, Route, RouteRequest } from '../../../src/daemon/http.js';
import { cacheResponses } from '../../../src/daemon/responseCache.js';

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
});
