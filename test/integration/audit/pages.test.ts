import { type KyselyPlugin, type RootOperationNode, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyset } from '../../../src/audit/keyset.js';
import { apiRoutes } from '../../../src/daemon/api.js';
import type { HttpResponse, Route } from '../../../src/daemon/http.js';
import { historyPageRoute, pageRoute } from '../../../src/daemon/page.js';
import type { Database } from '../../../src/db/connection.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

// Keyset pages on both backends: stable across inserts, bounded, hostile tokens refused by name.

let testDb: TestDatabase;
let database: Database;
let routes: Route[];
const statements: RootOperationNode[] = [];
const recorder: KyselyPlugin = {
  transformQuery: ({ node }) => {
    statements.push(node);
    return node;
  },
  transformResult: async ({ result }) => result,
};

const SHA = 'a'.repeat(40);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** Twelve connectors `c-01`…`c-12` with one version each, all from commit SHA. */
const SMALL = Array.from({ length: 12 }, (_, i) => `c-${String(i + 1).padStart(2, '0')}`);
/**
 * `big`'s seven versions, newest first as the API must list them: by created_at, then id. Two share
 * a microsecond timestamp JavaScript's Date cannot hold, two share a whole second.
 */
const BIG = [
  { n: 107, version: '1.6.0', at: '2026-01-07 00:00:00' },
  { n: 106, version: '1.5.0', at: '2026-01-06 00:00:00.000002' },
  { n: 105, version: '1.4.0', at: '2026-01-06 00:00:00.000001' },
  { n: 104, version: '1.3.0', at: '2026-01-06 00:00:00.000001' },
  { n: 103, version: '1.2.0', at: '2026-01-05 00:00:00' },
  { n: 102, version: '1.1.0', at: '2026-01-05 00:00:00' },
  { n: 101, version: '1.0.0', at: '2026-01-01 00:00:00' },
];

async function addConnector(slug: string, id: number): Promise<void> {
  await sql`INSERT INTO connector (id, slug, name, status) VALUES (${uuid(id)}, ${slug}, ${`Name ${slug}`}, 'beta')`.execute(
    database.db,
  );
}

async function addVersion(
  connector: number,
  n: number,
  version: string,
  at: string,
  commit: string | null = null,
): Promise<void> {
  await sql`INSERT INTO connectorversion (id, connector_id, version, manifest, created_at, commit_sha)
    VALUES (${uuid(n)}, ${uuid(connector)}, ${version}, '{}', cast(${at} as timestamp), ${commit})`.execute(
    database.db,
  );
  await sql`UPDATE connector SET latest_version_id = ${uuid(n)} WHERE id = ${uuid(connector)}`.execute(
    database.db,
  );
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await testDb.open();
  await sql`INSERT INTO sync_commit (sha, repository, author_name, author_email, authored_at, committed_at, message)
    VALUES (${SHA}, 'r', 'Ada', 'ada@example.com', '2026-01-01', '2026-01-01', 'bulk')`.execute(
    database.db,
  );
  for (const [i, slug] of SMALL.entries()) {
    await addConnector(slug, i + 1);
    await addVersion(i + 1, 1000 + i, '1.0.0', '2026-01-01 00:00:00', SHA);
  }
  await addConnector('big', 100);
  for (const v of [...BIG].reverse()) await addVersion(100, v.n, v.version, v.at);
  routes = apiRoutes({ db: database.db.withPlugin(recorder) });
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
type Body = any;

async function call(list: Route[], target: string): Promise<{ status: number; body: string }> {
  const url = new URL(target, 'http://localhost');
  for (const route of list) {
    const parts = route.pattern.split('/');
    const segments = url.pathname.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = parts.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segment);
        return segment !== '';
      }
      return part === segment;
    });
    if (!fits) continue;
    const response: HttpResponse = await route.handler({
      method: 'GET',
      url,
      params,
      headers: {},
      body: Buffer.alloc(0),
    });
    return { status: response.status, body: String(response.body) };
  }
  throw new Error(`no route for ${target}`);
}

async function get(target: string): Promise<{ status: number; body: Body }> {
  const { status, body } = await call(routes, target);
  return { status, body: JSON.parse(body) };
}

/** Follows `next` from `base` (optionally starting `after` a token) until it is null; every page's items. */
async function walk(
  base: string,
  items: (body: Body) => string[],
  after: string | null = null,
): Promise<string[][]> {
  const pages: string[][] = [];
  const at = (token: string | null) =>
    token ? `${base}${base.includes('?') ? '&' : '?'}after=${token}` : base;
  let target: string | null = at(after);
  while (target) {
    const { status, body } = await get(target);
    expect(status).toBe(200);
    pages.push(items(body));
    target = body.next ? at(body.next) : null;
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

const slugsOf = (body: Body) => body.connectors.map((c: { slug: string }) => c.slug);
const versionsOf = (body: Body) => body.versions.map((v: { version: string }) => v.version);

describe('GET /api/connectors pages by keyset', () => {
  it('walks every connector once, in slug order, with at most `limit` per page', async () => {
    const pages = await walk('/api/connectors?limit=5', slugsOf);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 3]);
    expect(pages.flat()).toEqual(['big', ...SMALL]);
  });

  it('is stable across inserts: a connector added before the page boundary shifts nothing', async () => {
    const first = await get('/api/connectors?limit=5');
    expect(slugsOf(first.body)).toEqual(['big', 'c-01', 'c-02', 'c-03', 'c-04']);
    await addConnector('a-early', 200); // sorts before every page already read
    await addConnector('c-045', 201); // sorts after the page boundary
    try {
      const second = await get(`/api/connectors?limit=5&after=${first.body.next}`);
      expect(slugsOf(second.body)).toEqual(['c-045', 'c-05', 'c-06', 'c-07', 'c-08']);
      expect(second.body.total).toBe(15);
    } finally {
      await sql`DELETE FROM connector WHERE id IN (${uuid(200)}, ${uuid(201)})`.execute(
        database.db,
      );
    }
  });

  it('takes up to 500 a page and refuses 501', async () => {
    expect((await get('/api/connectors?limit=500')).body.connectors).toHaveLength(13);
    const refused = await get('/api/connectors?limit=501');
    expect(refused).toEqual({
      status: 400,
      body: { error: 'invalid limit: an integer from 1 to 500' },
    });
  });

  it('searches slug and name case-insensitively, wildcards taken literally', async () => {
    expect(slugsOf((await get('/api/connectors?q=C-1')).body)).toEqual(['c-10', 'c-11', 'c-12']);
    expect((await get('/api/connectors?q=NAME%20BIG')).body).toMatchObject({ total: 1 });
    expect((await get('/api/connectors?q=%25')).body).toMatchObject({ total: 0, connectors: [] });
    expect((await get('/api/connectors?q=c_0')).body).toMatchObject({ total: 0 });
    const searched = await walk('/api/connectors?q=c-&limit=4', slugsOf);
    expect(searched.flat()).toEqual(SMALL);
  });
});

describe('GET /api/connectors/:slug/versions pages by keyset', () => {
  it('walks every version newest first by (created_at, id), microseconds and ties included', async () => {
    const pages = await walk('/api/connectors/big/versions?limit=2', versionsOf);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat()).toEqual(BIG.map((v) => v.version));
  });

  it('is stable across inserts: a newer version added meanwhile does not repeat a row', async () => {
    const first = await get('/api/connectors/big/versions?limit=3');
    expect(versionsOf(first.body)).toEqual(['1.6.0', '1.5.0', '1.4.0']);
    await addVersion(100, 108, '1.7.0', '2026-01-08 00:00:00');
    try {
      const rest = await walk('/api/connectors/big/versions?limit=3', versionsOf, first.body.next);
      expect(rest.flat()).toEqual(['1.3.0', '1.2.0', '1.1.0', '1.0.0']);
    } finally {
      await sql`UPDATE connector SET latest_version_id = ${uuid(107)} WHERE id = ${uuid(100)}`.execute(
        database.db,
      );
      await sql`DELETE FROM connectorversion WHERE id = ${uuid(108)}`.execute(database.db);
    }
  });

  it('an unknown slug is still a 404, and a page past the end is empty', async () => {
    expect((await get('/api/connectors/nope/versions')).status).toBe(404);
    const last = encodeKeyset({ kind: 'version', createdAt: '2000-01-01 00:00:00', id: uuid(1) });
    expect((await get(`/api/connectors/big/versions?after=${last}`)).body).toMatchObject({
      versions: [],
      next: null,
    });
  });
});

describe('GET /api/commits/:sha pages by keyset', () => {
  it('walks the versions of a commit in slug order', async () => {
    const pages = await walk(`/api/commits/${SHA}?limit=5`, (body) =>
      body.versions.map((v: { slug: string }) => v.slug),
    );
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(SMALL);
    const past = await get(
      `/api/commits/${SHA}?after=${encodeKeyset({ kind: 'slug', slug: 'zz' })}`,
    );
    expect(past.body).toMatchObject({ commit: { sha: SHA }, versions: [], next: null });
  });
});

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('a hostile ?after= is refused by name, before any SQL', () => {
  it.each([
    ['/api/connectors', ''],
    ['/api/connectors', '!!!'],
    ['/api/connectors', 'A'.repeat(257)],
    ['/api/connectors', b64('{"s":"x"}')],
    ['/api/connectors', b64('["s"]')],
    ['/api/connectors', b64('["s","Gmail"]')],
    ['/api/connectors', b64(`["s","a'; drop table connector;--"]`)],
    ['/api/connectors', b64('["s",1]')],
    ['/api/connectors', b64('not json')],
    [
      '/api/connectors',
      encodeKeyset({ kind: 'version', createdAt: '2026-01-01 00:00:00', id: uuid(1) }),
    ],
    ['/api/connectors/big/versions', encodeKeyset({ kind: 'slug', slug: 'big' })],
    ['/api/connectors/big/versions', b64('["v","2026-01-01","x"]')],
    ['/api/connectors/big/versions', b64(`["v","2026-01-01 00:00:00'--","${uuid(1)}"]`)],
    [
      '/api/connectors/big/versions',
      b64('["v","2026-01-01 00:00:00","00000000-0000-4000-8000-00000000000Z"]'),
    ],
    [`/api/commits/${SHA}`, b64('["s","../x"]')],
  ])('%s?after=%s is a 400', async (path, token) => {
    statements.length = 0;
    const { status, body } = await get(`${path}?after=${encodeURIComponent(token)}`);
    expect(status).toBe(400);
    expect(body.error).toMatch(/^invalid after: /);
    expect(statements).toHaveLength(0);
  });

  it('a control character in ?q= is a 400', async () => {
    statements.length = 0;
    expect((await get('/api/connectors?q=a%00b')).status).toBe(400);
    expect((await get(`/api/connectors?q=${'x'.repeat(101)}`)).status).toBe(400);
    expect(statements).toHaveLength(0);
  });
});

describe('the page is bounded by its page size, not by the history', () => {
  const status = () => Promise.reject(new Error('no status in this test'));
  const page = () => [
    pageRoute({ db: database.db, readStatus: status, limit: 5, recent: 3 }),
    historyPageRoute({ db: database.db, readStatus: status, historyLimit: 3 }),
  ];
  const count = (html: string, needle: string) => html.split(needle).length - 1;

  it('lists a page of connectors with a few recent versions each and links to the next page', async () => {
    const { status: code, body } = await call(page(), '/');
    expect(code).toBe(200);
    expect(count(body, '<details class="connector"')).toBe(5);
    const big = body.slice(body.indexOf('id="connector-big"'), body.indexOf('id="connector-c-01"'));
    expect(count(big, '<tr class="version"')).toBe(3);
    expect(big).toContain('<a class="history" href="/connectors/big">all 7 versions</a>');
    const next = /<a class="next" rel="next" href="\?after=([\w-]+)">/.exec(body)?.[1];
    expect(next).toBeTruthy();
    const second = await call(page(), `/?after=${next}`);
    expect(second.body).toContain('id="connector-c-05"');
    expect(second.body).not.toContain('id="connector-c-04"');
    const searched = await call(page(), '/?q=c-1');
    expect(count(searched.body, '<details class="connector"')).toBe(3);
    expect(searched.body).not.toContain('rel="next"');
  });

  it("serves a connector's full history a page at a time", async () => {
    const versions: string[] = [];
    let target: string | null = '/connectors/big';
    while (target) {
      const { status: code, body } = await call(page(), target);
      expect(code).toBe(200);
      versions.push(...[...body.matchAll(/data-version="([^"]+)"/g)].map((m) => m[1] ?? ''));
      const older = /<a class="next" rel="next" href="([^"]+)">older versions/.exec(body)?.[1];
      target = older ? older.replaceAll('&amp;', '&') : null;
    }
    expect(versions).toEqual(BIG.map((v) => v.version));
    expect((await call(page(), '/connectors/nope')).status).toBe(404);
    expect((await call(page(), '/connectors/Big')).status).toBe(400);
  });

  it('refuses a bad ?after= on either page with a 400 that names it', async () => {
    for (const target of ['/?after=%21', `/connectors/big?after=${b64('["s","big"]')}`]) {
      const { status: code, body } = await call(page(), target);
      expect(code).toBe(400);
      expect(body).toContain('invalid after: ');
    }
  });
});
