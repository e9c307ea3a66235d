import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pino from 'pino';
import { apiRoutes } from '../src/daemon/api.js';
import { startHttpServer } from '../src/daemon/http.js';
import { historyPageRoute, pageRoute } from '../src/daemon/page.js';
import { cacheResponses } from '../src/daemon/responseCache.js';
import type { SyncStatus } from '../src/query/readStatus.js';
import { type Backend, createBenchDatabase } from './backends.js';
import { median } from './stats.js';

/** One endpoint's answer time and size at a number of stored versions. */
export interface ReadFigure {
  path: string;
  bytes: number;
  /** Made afresh each time (cache bypassed): the read and the render. */
  coldMedianMs: number;
  /** Answered from the cache (same cursor): what a poller costs between two changes. */
  cachedMedianMs: number;
}

/** The readers' side at one size: every endpoint a reader polls, cold and cached. */
export interface ReadsResult {
  backend: Backend;
  versions: number;
  connectors: number;
  figures: ReadFigure[];
}

/** A manifest of ~1 KB, so the table's pages look like a registry's. */
const MANIFEST = JSON.stringify({
  name: 'Bench',
  description: 'x'.repeat(600),
  actions: { a: { name: 'A', input: { type: 'object' }, output: { type: 'object' } } },
});

const STATUS: SyncStatus = {
  repository: 'bench',
  branch: 'main',
  path: 'manifests',
  recorded: true,
  head: 'f'.repeat(40),
  cursor: 'f'.repeat(40),
  cursorUpdatedAt: new Date(),
  behind: 0,
  lastRun: null,
  control: null,
  refusals: [],
};

/**
 * Fills a fresh database with `versions` versions, ten per connector, each from its own commit
 * (generate_series, no git: the reads are what is measured), then times each endpoint a reader
 * polls through a real HTTP server, made afresh and from the cache.
 */
export async function measureReads(
  backend: Backend,
  versions: number,
  rounds = 20,
): Promise<ReadsResult> {
  const perConnector = 10;
  const connectors = Math.ceil(versions / perConnector);
  const bench = await createBenchDatabase(backend);
  const database = await bench.open('bench reads');
  try {
    const db = database.db;
    await sql`INSERT INTO sync_commit (sha, repository, author_name, author_email, authored_at, committed_at, message)
      SELECT lpad(to_hex(i), 40, '0'), 'bench', 'Bench Author', 'author@bench.example',
             timestamp '2020-01-01' + i * interval '1 minute', timestamp '2020-01-01' + i * interval '1 minute',
             'Edit ' || i || E'\n\nA body line.'
      FROM generate_series(1, ${versions}) AS i`.execute(db);
    await sql`INSERT INTO connector (id, slug, name, status)
      SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid, 'bench-' || lpad(c::text, 6, '0'), 'Bench ' || c, 'beta'
      FROM generate_series(1, ${connectors}) AS c`.execute(db);
    await sql`INSERT INTO connectorversion (id, connector_id, version, manifest, created_at, commit_sha, content_hash, bump, reasons)
      SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
             ('00000000-0000-4000-8000-' || lpad(to_hex((i - 1) % ${connectors} + 1), 12, '0'))::uuid,
             '1.' || ((i - 1) / ${connectors}) || '.0', ${MANIFEST}::jsonb,
             timestamp '2020-01-01' + i * interval '1 minute', lpad(to_hex(i), 40, '0'), md5(i::text), 'minor',
             '["an optional input property added: existing callers are unaffected", "the content changed and needs a minor bump"]'::jsonb
      FROM generate_series(1, ${versions}) AS i`.execute(db);
    await sql`UPDATE connector c SET latest_version_id = (
        SELECT v.id FROM connectorversion v WHERE v.connector_id = c.id ORDER BY v.created_at DESC LIMIT 1)`.execute(
      db,
    );
    await sql`ANALYZE`.execute(db);

    const deps = { db, readStatus: async () => STATUS };
    const routes = [...apiRoutes({ db }), pageRoute(deps), historyPageRoute(deps)];
    let stamp = 0;
    const cached = cacheResponses(routes, { stamp: async () => String(stamp) });
    const logger = pino({ level: 'silent' });
    const fresh = await startHttpServer({ port: 0, host: '127.0.0.1', routes, logger });
    const warm = await startHttpServer({ port: 0, host: '127.0.0.1', routes: cached, logger });
    try {
      const middle = `bench-${String(Math.ceil(connectors / 2)).padStart(6, '0')}`;
      const after = Buffer.from(JSON.stringify(['s', middle])).toString('base64url');
      const paths = [
        '/',
        `/?after=${after}`,
        '/?q=bench-0001',
        `/connectors/${middle}`,
        '/api/connectors',
        '/api/connectors?limit=500',
        `/api/connectors/${middle}/versions`,
        `/api/commits/${'0'.repeat(39)}1`,
      ];
      const figures: ReadFigure[] = [];
      for (const path of paths) {
        const time = async (base: string) => {
          const started = performance.now();
          const response = await fetch(`${base}${path}`);
          const body = await response.arrayBuffer();
          if (!response.ok) throw new Error(`${path}: ${response.status}`);
          return { ms: performance.now() - started, bytes: body.byteLength };
        };
        const cold: number[] = [];
        const hot: number[] = [];
        let bytes = 0;
        await time(fresh.url); // warm PostgreSQL's caches and the JIT: steady state is the figure
        for (let i = 0; i < rounds; i++) {
          const one = await time(fresh.url);
          cold.push(one.ms);
          bytes = one.bytes;
        }
        stamp++;
        await time(warm.url);
        for (let i = 0; i < rounds; i++) hot.push((await time(warm.url)).ms);
        figures.push({ path, bytes, coldMedianMs: median(cold), cachedMedianMs: median(hot) });
      }
      return { backend, versions, connectors, figures };
    } finally {
      await Promise.all([fresh.close(), warm.close()]);
    }
  } finally {
    await database.close();
    await bench.drop();
  }
}
