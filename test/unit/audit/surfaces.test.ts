import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { outcomeClass } from '../../../src/audit/renderPage.js';
import { checkRevision } from '../../../src/audit/revision.js';
import { type HttpServer, json, startHttpServer } from '../../../src/daemon/http.js';
import { orderManifestKeys } from '../../../src/manifest/index.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';

describe('one revision syntax for show --at and ?at=', () => {
  it.each([
    ['HEAD~3', true],
    ['main', true],
    ['v2.3^', true],
    ['main~2^2', true],
    ['0123abcd', true],
    ['feature/x', true],
    ['main..labels', false],
    ['--output=/tmp/x', false],
    ['HEAD@{1}', false],
    ['a//b', false],
    ['', false],
    ['x'.repeat(300), false],
  ])('%s: %s', (revision, ok) => {
    expect(checkRevision(revision) === null).toBe(ok);
  });
});

describe('colours match meaning', () => {
  it.each([
    ['applied', 'ok'],
    ['noop', 'ok'],
    ['refused', 'warn'],
    ['interrupted', 'warn'],
    ['failed', 'error'],
    [null, 'warn'],
  ])('%s is %s', (outcome, expected) => {
    expect(outcomeClass(outcome)).toBe(expected);
  });
});

describe('manifests print in the format’s key order', () => {
  it('puts name, slug, version first and actions, triggers last, whatever order jsonb returned', () => {
    const manifest = buildManifest();
    // jsonb's order: shorter keys first.
    const scrambled = Object.fromEntries(
      Object.entries(manifest).sort(([a], [b]) => a.length - b.length || a.localeCompare(b)),
    );
    const ordered = orderManifestKeys(scrambled);
    expect(Object.keys(ordered).slice(0, 3)).toEqual(['name', 'slug', 'version']);
    expect(Object.keys(ordered).slice(-2)).toEqual(['actions', 'triggers']);
    expect(Object.keys(ordered.actions.send_email ?? {})).toEqual([
      'name',
      'description',
      'input',
      'output',
      'x-http',
    ]);
    expect(JSON.stringify(ordered).length).toBe(JSON.stringify(manifest).length);
    // An own `__proto__` key stays data.
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}');
    expect(Object.keys(orderManifestKeys(hostile))).toEqual(['name', '__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('a database outage is a 503 with a reason, not a 500', () => {
  let server: HttpServer | null = null;
  afterEach(async () => {
    await server?.close();
  });

  it('answers 503 for connection errors and 500 for anything else', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      routes: [
        { method: 'GET', pattern: '/down', handler: () => Promise.reject(refused) },
        {
          method: 'GET',
          pattern: '/shutdown',
          handler: () => Promise.reject(Object.assign(new Error('terminating'), { code: '57P01' })),
        },
        {
          method: 'GET',
          pattern: '/bug',
          handler: () => Promise.reject(new TypeError('x is undefined')),
        },
        { method: 'GET', pattern: '/ok', handler: () => json(200, {}) },
      ],
    });
    const down = await fetch(`${server.url}/down`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      error: 'the database is unavailable',
      reason: 'connect ECONNREFUSED 127.0.0.1:5432',
    });
    expect((await fetch(`${server.url}/shutdown`)).status).toBe(503);
    const bug = await fetch(`${server.url}/bug`);
    expect(bug.status).toBe(500);
    expect(await bug.json()).toEqual({ error: 'internal error' });
  });
});
