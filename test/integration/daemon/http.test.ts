import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, json, startHttpServer } from '../../../src/daemon/http.js';
import { createMetrics } from '../../../src/daemon/metrics.js';
import { opsRoutes, type Readiness } from '../../../src/daemon/opsRoutes.js';

const logger = pino({ level: 'silent' });
const secret = 'webhook-secret-for-tests';

function sign(body: string | Buffer, key = secret): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

function pushBody(ref: string): string {
  return JSON.stringify({ ref, after: '0'.repeat(40), repository: { full_name: 'acme/registry' } });
}

describe('startHttpServer with the ops routes', () => {
  let server: HttpServer;
  let nudges = 0;
  let readiness: Readiness = { ready: false, reasons: ['no successful pass yet'] };
  const metrics = createMetrics();

  beforeAll(async () => {
    server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      routes: [
        ...opsRoutes({
          readiness: () => readiness,
          registry: metrics.registry,
          logger,
          webhook: { secret, branch: 'main', nudge: () => nudges++ },
        }),
        {
          method: 'GET',
          pattern: '/api/connectors/:slug',
          handler: ({ params, url }) =>
            json(200, { slug: params.slug, q: url.searchParams.get('q') }),
        },
        {
          method: 'POST',
          pattern: '/api/boom',
          handler: () => {
            throw new Error('handler bug');
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('listens on an ephemeral port and reports its url', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('GET /healthz is 200', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz follows the readiness function: 503 with reasons, then 200', async () => {
    const before = await fetch(`${server.url}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ ready: false, reasons: ['no successful pass yet'] });
    readiness = { ready: true, reasons: [] };
    const after = await fetch(`${server.url}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ready: true, reasons: [] });
  });

  it('GET /metrics serves the registry in the Prometheus text format', async () => {
    metrics.observePass(true, 250, new Date());
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    const text = await res.text();
    expect(text).toContain('manifest_sync_passes_total{outcome="success"} 1');
    expect(text).toContain('manifest_sync_pass_duration_seconds_bucket');
    expect(text).toContain('manifest_sync_lock_held');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('POST /webhook refuses a forged signature with 401 and does not nudge', async () => {
    const before = nudges;
    const body = pushBody('refs/heads/main');
    const forged = await post('/webhook', body, {
      'x-github-event': 'push',
      'x-hub-signature-256': sign(body, 'not-the-secret'),
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: 'signature does not match' });
    const unsigned = await post('/webhook', body, { 'x-github-event': 'push' });
    expect(unsigned.status).toBe(401);
    const badToken = await post('/webhook', body, { 'x-gitlab-token': 'nope' });
    expect(badToken.status).toBe(401);
    expect(nudges).toBe(before);
  });

  it('POST /webhook accepts a signed push to the branch with 202 and nudges once', async () => {
    const before = nudges;
    const body = pushBody('refs/heads/main');
    const res = await post('/webhook', body, {
      'x-github-event': 'push',
      'x-hub-signature-256': sign(body),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'accepted' });
    expect(nudges).toBe(before + 1);
  });

  it('POST /webhook accepts a GitLab push with the right token', async () => {
    const before = nudges;
    const body = JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main' });
    const res = await post('/webhook', body, { 'x-gitlab-token': secret });
    expect(res.status).toBe(202);
    expect(nudges).toBe(before + 1);
  });

  it('POST /webhook ignores a push to another branch (202) and a ping (200), without nudging', async () => {
    const before = nudges;
    const body = pushBody('refs/heads/feature/x');
    const other = await post('/webhook', body, {
      'x-github-event': 'push',
      'x-hub-signature-256': sign(body),
    });
    expect(other.status).toBe(202);
    expect(await other.json()).toMatchObject({ status: 'ignored' });
    const zen = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const ping = await post('/webhook', zen, {
      'x-github-event': 'ping',
      'x-hub-signature-256': sign(zen),
    });
    expect(ping.status).toBe(200);
    expect(nudges).toBe(before);
  });

  it('POST /webhook answers 413 to a body over 1 MiB, declared or streamed, without nudging', async () => {
    const before = nudges;
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const declared = await post('/webhook', big, {
      'x-github-event': 'push',
      'x-hub-signature-256': sign(big),
    });
    expect(declared.status).toBe(413);

    // Chunked, so the server only finds out while reading.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/webhook`, {
        method: 'POST',
        headers: { 'x-github-event': 'push', 'x-hub-signature-256': sign(big) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write(big.subarray(0, 300 * 1024));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(nudges).toBe(before);
  });

  it('answers 404 in JSON for an unknown path and 405 with Allow for a wrong method', async () => {
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not found' });
    const wrong = await fetch(`${server.url}/webhook`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(await wrong.json()).toMatchObject({ error: 'method not allowed' });
  });

  it('routes added alongside get their params, and a throwing handler is a 500', async () => {
    const res = await fetch(`${server.url}/api/connectors/google%20sheets?q=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slug: 'google sheets', q: '1' });
    const boom = await post('/api/boom', '{}');
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: 'internal error' });
  });
});

describe('startHttpServer lifecycle', () => {
  it('does not route /webhook without a configured secret', async () => {
    const server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      routes: opsRoutes({
        readiness: () => ({ ready: true, reasons: [] }),
        registry: createMetrics({ defaultMetrics: false }).registry,
        logger,
      }),
    });
    try {
      const res = await fetch(`${server.url}/webhook`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('close() is idempotent and really stops listening', async () => {
    const server = await startHttpServer({ port: 0, host: '127.0.0.1', logger, routes: [] });
    // A kept-alive connection must not hold close() open.
    expect((await fetch(`${server.url}/x`)).status).toBe(404);
    await Promise.all([server.close(), server.close()]);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    const first = await startHttpServer({ port: 0, host: '127.0.0.1', logger, routes: [] });
    try {
      await expect(
        startHttpServer({ port: first.port, host: '127.0.0.1', logger, routes: [] }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
