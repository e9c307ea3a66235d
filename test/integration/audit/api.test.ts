import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../../src/daemon/api.js';
import type { HttpResponse, Route } from '../../../src/daemon/http.js';
import type { Database } from '../../../src/db/connection.js';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { ALICE, type AuditFixture, BOB, CAROL, createAuditFixture, LEGACY } from './fixture.js';

let fx: AuditFixture;
let database: Database;
let repository: GitRepository;
let routes: Route[];
/** Every statement the API sends, to prove a rejected request sends none. */
const statements: RootOperationNode[] = [];
const recorder: KyselyPlugin = {
  transformQuery: ({ node }) => {
    statements.push(node);
    return node;
  },
  transformResult: async ({ result }) => result,
};

beforeAll(async () => {
  fx = await createAuditFixture();
  await fx.testDb.exec(LEGACY.sql);
  database = await fx.testDb.open();
  repository = await openRepository({ path: fx.repo.path });
  routes = apiRoutes({ db: database.db.withPlugin(recorder), repository: () => repository });
});
afterAll(async () => {
  await repository?.close();
  await database?.close();
  await fx?.close();
});

/** Matches a path against `:name` patterns the way the server does (segments URI-decoded). */
function match(pattern: string, path: string): Record<string, string> | null {
  const parts = pattern.split('/');
  const segments = path.split('/');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) {
      if (segment === '') return null;
      params[part.slice(1)] = decodeURIComponent(segment);
    } else if (part !== segment) return null;
  }
  return params;
}

/** A version as the API's JSON has it. */
interface VersionJson {
  slug: string;
  version: string;
  latest: boolean;
  bump: string | null;
  commit: { sha: string; authorName: string } | null;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked with toMatchObject
type Body = any;

/** Calls the route table's GET handler for `target` (path and query) without a socket. */
async function get(target: string): Promise<{ status: number; body: Body }> {
  const url = new URL(target, 'http://localhost');
  for (const route of routes) {
    const params = match(route.pattern, url.pathname);
    if (!params || route.method !== 'GET') continue;
    const response: HttpResponse = await route.handler({
      method: 'GET',
      url,
      params,
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(response.headers?.['content-type']).toMatch(/^application\/json/);
    return { status: response.status, body: JSON.parse(String(response.body)) };
  }
  throw new Error(`no route for ${target}`);
}

describe('GET /api/connectors', () => {
  it('pages through the connectors in slug order, each with its latest version, with the total', async () => {
    const all = await get('/api/connectors');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, limit: 50, next: null });
    expect(all.body.connectors.map((c: { slug: string }) => c.slug)).toEqual([
      'gmail',
      'legacy',
      'slack',
    ]);
    expect(all.body.connectors[0]).toMatchObject({
      name: 'Gmail',
      versionCount: 3,
      latest: { version: '2.0.0', commit: { sha: fx.sha.revert, authorName: CAROL.name } },
    });
    const first = await get('/api/connectors?limit=2');
    expect(first.body).toMatchObject({ total: 3, limit: 2, next: expect.any(String) });
    const page = await get(`/api/connectors?limit=2&after=${first.body.next}`);
    expect(page.body).toMatchObject({ total: 3, limit: 2, next: null });
    expect(page.body.connectors.map((c: { slug: string }) => c.slug)).toEqual(['slack']);
  });

  it.each(['limit=0', 'limit=501', 'limit=abc', 'limit=1e2', 'offset=0', 'offset=2'])(
    '?%s is a 400',
    async (query) => {
      const { status, body } = await get(`/api/connectors?${query}`);
      expect(status).toBe(400);
      expect(body.error).toMatch(/^invalid (limit|offset)/);
    },
  );
});

describe('GET /api/connectors/:slug', () => {
  it('gives the connector and its latest version', async () => {
    const { status, body } = await get('/api/connectors/slack');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      slug: 'slack',
      status: 'beta',
      latest: { version: '1.0.1', bump: 'patch', commit: { sha: fx.sha.restoreSlack } },
    });
  });

  it('?at=REV adds the version live at that revision', async () => {
    const { status, body } = await get('/api/connectors/gmail?at=labels');
    expect(status).toBe(200);
    expect(body.at).toMatchObject({
      revision: 'labels',
      sha: fx.sha.labels,
      basis: 'content',
      deleted: false,
      version: { version: '1.1.0', commit: { authorName: BOB.name } },
    });
    // The same revision syntax as `show --at`: HEAD~3 is the labels commit.
    const back = await get('/api/connectors/gmail?at=HEAD~3');
    expect(back.status).toBe(200);
    expect(back.body.at).toMatchObject({ revision: 'HEAD~3', sha: fx.sha.labels });
    expect((await get('/api/connectors/gmail?at=nope')).status).toBe(404);
    expect((await get('/api/connectors/gmail?at=HEAD@%7B1%7D')).status).toBe(400);
    expect((await get('/api/connectors/gmail?at=--output%3D%2Ftmp%2Fx')).status).toBe(400);
    expect((await get('/api/connectors/gmail?at=main..labels')).status).toBe(400);
  });

  it('an unknown slug is a 404 with a message', async () => {
    const { status, body } = await get('/api/connectors/nope');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'no connector has the slug nope' });
  });
});

describe('GET /api/connectors/:slug/versions[/:version]', () => {
  it('lists the versions newest first with provenance', async () => {
    const { status, body } = await get('/api/connectors/gmail/versions');
    expect(status).toBe(200);
    expect(body).toMatchObject({ slug: 'gmail', limit: 50, next: null });
    expect(
      body.versions.map((v: VersionJson) => [
        v.version,
        v.latest,
        v.bump,
        v.commit?.sha,
        v.commit?.authorName,
      ]),
    ).toEqual([
      ['2.0.0', true, 'major', fx.sha.revert, CAROL.name],
      ['1.1.0', false, 'minor', fx.sha.labels, BOB.name],
      ['1.0.0', false, 'none', fx.sha.first, ALICE.name],
    ]);
    expect(body.versions[1].reasons.length).toBeGreaterThan(0);
    expect(body.versions[0]).not.toHaveProperty('manifest');
  });

  it('a version made before manifest-sync has no commit', async () => {
    const { body } = await get('/api/connectors/legacy/versions');
    expect(body.versions).toEqual([
      expect.objectContaining({ version: LEGACY.version, commit: null, bump: null, reasons: [] }),
    ]);
  });

  it('one version gives its manifest and provenance', async () => {
    const { status, body } = await get('/api/connectors/gmail/versions/1.1.0');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      slug: 'gmail',
      version: '1.1.0',
      commit: {
        sha: fx.sha.labels,
        authorEmail: BOB.email,
        authoredAt: '2026-01-03T09:30:00.000Z',
        message: 'Gmail: add the add_label action\n\nSupport asked for labels.',
        reachable: true,
      },
      manifest: { slug: 'gmail', version: '1.1.0', actions: { add_label: { name: 'Add label' } } },
    });
  });

  it.each([
    ['/api/connectors/nope/versions', 'no connector has the slug nope'],
    ['/api/connectors/nope/versions/1.0.0', 'no connector has the slug nope'],
    ['/api/connectors/gmail/versions/9.9.9', 'gmail has no version 9.9.9'],
  ])('%s is a 404', async (path, error) => {
    expect(await get(path)).toEqual({ status: 404, body: { error } });
  });
});

describe('GET /api/commits/:sha', () => {
  it('gives the versions a commit produced, by full or abbreviated sha', async () => {
    const full = await get(`/api/commits/${fx.sha.labels}`);
    expect(full.status).toBe(200);
    expect(full.body.commit).toMatchObject({ sha: fx.sha.labels, authorName: BOB.name });
    expect(full.body.versions.map((v: VersionJson) => `${v.slug}@${v.version}`)).toEqual([
      'gmail@1.1.0',
    ]);
    const short = await get(`/api/commits/${fx.sha.first.slice(0, 7).toUpperCase()}`);
    expect(short.status).toBe(200);
    expect(short.body.versions.map((v: VersionJson) => `${v.slug}@${v.version}`)).toEqual([
      'gmail@1.0.0',
      'slack@1.0.0',
    ]);
  });

  it('a commit that produced no versions is a 404', async () => {
    // Deleting a manifest deprecates the connector: no version, so no recorded commit.
    const { status, body } = await get(`/api/commits/${fx.sha.deleteSlack}`);
    expect(status).toBe(404);
    expect(body.error).toContain('produced no versions');
  });
});

describe('hostile and malformed parameters', () => {
  it.each([
    '/api/connectors/..%2Fx',
    `/api/connectors/${encodeURIComponent("a'; drop table connector;--")}`,
    `/api/connectors/${encodeURIComponent("a'; drop table connector;--")}/versions`,
    '/api/connectors/Gmail',
    `/api/connectors/${'a'.repeat(65)}`,
    '/api/connectors/gmail/versions/v1.0.0',
    '/api/connectors/gmail/versions/1.0',
    `/api/connectors/gmail/versions/${encodeURIComponent("1.0.0' OR '1'='1")}`,
    '/api/commits/abc',
    '/api/commits/xyz1234',
    `/api/commits/${'a'.repeat(65)}`,
    `/api/commits/${encodeURIComponent("abcd' OR 1=1--")}`,
  ])('%s is a 400 that sends no SQL', async (path) => {
    statements.length = 0;
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body.error).toMatch(/^invalid (slug|version|sha)/);
    expect(statements).toHaveLength(0);
  });

  it('leaves the tables alone (and the recorder does see the SQL of a valid request)', async () => {
    statements.length = 0;
    const { status, body } = await get('/api/connectors');
    expect(statements.length).toBeGreaterThan(0);
    expect(status).toBe(200);
    expect(body.total).toBe(3);
  });
});
