import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { DatabaseError } from '../errors.js';
import { acquireEmbeddedLock } from './embeddedLock.js';
import { preparePglite } from './pgliteArtifacts.js';
import { createPglitePool } from './pglitePool.js';
import { redactUrl } from './redact.js';
import type { Schema } from './schema.js';

const TIMESTAMP_OID = 1114;

/**
 * PostgreSQL settings for an embedded store opened by one command: small shared memory.
 * PGlite's PostgreSQL zeroes all of its shared memory when it starts (145 MB with the default
 * 128 MB of shared buffers): about 0.7 s of CPU of every open, more than the rest of the open
 * together. A command's store is read once from the OS page cache, so a small buffer pool costs
 * it nothing (a full sync of 10,000 manifests, a 94 MB store, is as fast with 16 MB); a reader's
 * few small queries need fewer still. The daemon, open for hours, keeps the default.
 */
const READER_PARAMS = ['-c', 'shared_buffers=8MB', '-c', 'max_connections=3'];
const COMMAND_PARAMS = ['-c', 'shared_buffers=16MB', '-c', 'max_connections=3'];

/**
 * How each PostgreSQL session of ours starts: no JIT. Our queries are many and short, and a plan
 * costed over jit_above_cost (a resync's scan of 10,000 connectors) spent ~0.1 s compiling code
 * it ran once. (lz4 compression of what we write would save the server a tenth of its CPU in a
 * full sync, but values compressed so can only be read by lz4 builds: an operator's choice, made
 * with `ALTER ROLE ... SET default_toast_compression = lz4`: see the README's "A real
 * PostgreSQL".)
 */
export const SESSION_SETUP = 'SET jit = off';

/** TIMESTAMP columns hold UTC wall time; read them back as the instant they name. */
function parseUtcTimestamp(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

/** An open database: the kysely handle, which backend it is, and how to close it. */
export interface Database {
  readonly db: Kysely<Schema>;
  readonly backend: 'postgres' | 'embedded';
  /** Where it is, safe to print (no password). */
  readonly location: string;
  /** Tells whoever asks for the embedded store that this process serves it at `url`. */
  advertise(url: string): Promise<void>;
  close(): Promise<void>;
}

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; null selects the embedded database in `dataDir`. */
  url: string | null;
  /** Directory of the embedded database (its data lives in `<dataDir>/db`). */
  dataDir: string;
  /** What this process is, for the embedded store's lock ("manifest-sync sync"). */
  holder: string;
  /** @default 10 */
  poolSize?: number;
  /**
   * Only read: a missing embedded store is an error instead of being created.
   * @default false
   */
  readOnly?: boolean;
  /**
   * Kept open for hours (the daemon): the embedded store gets PostgreSQL's default buffer pool
   * instead of a command's small one, which is cheaper to start.
   * @default false
   */
  longLived?: boolean;
}

/** `dataDir` of a scratch embedded database held in memory: nothing on disk, gone at close. */
export const MEMORY = ':memory:';

/**
 * PGlite with its data in `dataDir` (or in memory), `params` after PGlite's own start parameters
 * (null: PostgreSQL's defaults), behind kysely's PostgresDialect: how the stored and the scratch
 * embedded databases both start.
 */
async function startPglite(dataDir: string | undefined, params: readonly string[] | null) {
  const artifacts = preparePglite();
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create({
    ...(await artifacts),
    ...(dataDir === undefined ? {} : { dataDir }),
    parsers: { [TIMESTAMP_OID]: parseUtcTimestamp },
    ...(params ? { startParams: [...PGlite.defaultStartParams, ...params] } : {}),
  });
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: createPglitePool(pglite) }),
  });
  return {
    db,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

async function openMemoryDatabase(): Promise<Database> {
  const { db, close } = await startPglite(undefined, COMMAND_PARAMS);
  return {
    db,
    backend: 'embedded',
    location: 'an empty database in memory',
    advertise: async () => {},
    close,
  };
}

/** Whether the embedded store in `dataDir` has been created (by a sync or `migrate`). */
export function embeddedStoreExists(dataDir: string): boolean {
  return existsSync(join(dataDir, 'db', 'PG_VERSION'));
}

/**
 * Runs one trivial query so that an unreachable server is reported at once, as
 * "cannot connect to <url without password>: <why>", instead of by the first real statement.
 */
export async function assertConnects(database: Database): Promise<void> {
  try {
    await sql`select 1`.execute(database.db);
  } catch (error) {
    throw new DatabaseError(
      `cannot connect to ${database.location}: ${(error as Error).message || (error as { code?: string }).code || String(error)}`,
      { cause: error },
    );
  }
}

/** Opens PostgreSQL through a pg pool, or the embedded PGlite store; both behind kysely's PostgresDialect. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    // Each backend's driver is loaded only when used: a command on the other starts faster.
    const [{ default: pg }, { CopyingClient }] = await Promise.all([
      import('pg'),
      import('./copyingClient.js'),
    ]);
    const pool = new pg.Pool({
      // Clients that also stream a COPY handed to them as a statement (see copyStatement.ts).
      Client: CopyingClient,
      connectionString: options.url,
      max: options.poolSize ?? 10,
      application_name: 'manifest-sync',
      // A silent network partition must not keep the leader lock's session alive for hours.
      keepAlive: true,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === TIMESTAMP_OID
            ? parseUtcTimestamp
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client's error (server restart) must not crash the process; the next query reports it.
    pool.on('error', () => {});
    // Nor may a checked-out client's between two queries (the leader lock's connection sits idle
    // while held): pg-pool listens only to idle clients, and an unheard 'error' is an uncaught
    // exception. The query in flight, if any, still rejects; the broken client leaves the pool.
    pool.on('connect', (client) => {
      client.on('error', () => {});
      // Queued before the client's first query; a failure is that query's to report.
      client.query(SESSION_SETUP).catch(() => {});
    });
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      backend: 'postgres',
      location: redactUrl(options.url),
      advertise: async () => {},
      close: () => db.destroy(),
    };
  }

  if (options.url === null && options.dataDir === MEMORY) return openMemoryDatabase();
  if (options.readOnly && !embeddedStoreExists(options.dataDir))
    throw new DatabaseError(
      `no embedded database in ${options.dataDir} yet: nothing has been synced there (\`manifest-sync sync\` creates it; or give --database-url)`,
    );
  // Compiled while the lock is taken (at once if the CLI began it: see db/prepare.ts).
  void preparePglite();
  const lock = await acquireEmbeddedLock(options.dataDir, { command: options.holder });
  try {
    const { db, close } = await startPglite(
      join(options.dataDir, 'db'),
      options.longLived ? null : options.readOnly ? READER_PARAMS : COMMAND_PARAMS,
    );
    return {
      db,
      backend: 'embedded',
      location: options.dataDir,
      advertise: lock.update,
      close: async () => {
        await close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
