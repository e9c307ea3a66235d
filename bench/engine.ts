import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { type Config, loadConfig } from '../src/config.js';
import type { Database } from '../src/db/connection.js';
import type { Schema } from '../src/db/schema.js';
import { type GitRepository, openRepository } from '../src/git/index.js';
import { type SyncOnceOptions, syncOnce } from '../src/sync/syncOnce.js';
import type { SyncReport } from '../src/sync/types.js';
import type { BenchDatabase } from './backends.js';

/** Where a measured pass spent its wall time (ms); phases overlap nothing but `other`. */
export interface PhaseTimes {
  /** Waiting for the next commit from the streaming `git log`. */
  gitLog: number;
  /** Waiting for blobs from `cat-file --batch` (readBlobs). */
  blobs: number;
  /** Snapshot listing (`ls-tree`) on resync. */
  snapshot: number;
  /** Inside the transactions: state reads, planning (parse, validate, hash, diff), writes. */
  transactions: number;
  /** The longest single transaction. */
  maxTransaction: number;
  transactionCount: number;
}

/** One measured sync pass. */
export interface MeasuredPass {
  ms: number;
  report: SyncReport;
  phases: PhaseTimes;
}

const silent = pino({ level: 'silent' });

/** The Config a bench pass runs with: the workspace, branch main, the scenario's database. */
export function benchConfig(
  repo: string,
  database: Pick<BenchDatabase, 'url' | 'dataDir'>,
): Config {
  return loadConfig(
    {
      repo,
      branch: 'main',
      databaseUrl: database.url ?? undefined,
      dataDir: database.dataDir,
      logLevel: 'silent',
    },
    {},
  );
}

function emptyPhases(): PhaseTimes {
  return {
    gitLog: 0,
    blobs: 0,
    snapshot: 0,
    transactions: 0,
    maxTransaction: 0,
    transactionCount: 0,
  };
}

/** A property of `target`, methods bound to it (classes with #private fields reject a proxy as `this`). */
function bound(target: object, property: string | symbol): unknown {
  const value = Reflect.get(target, property, target);
  return typeof value === 'function' ? value.bind(target) : value;
}

/** Times every `transaction().execute(...)` on a kysely handle, without touching the code under test. */
function timeTransactions(db: Kysely<Schema>, phases: PhaseTimes): Kysely<Schema> {
  return new Proxy(db, {
    get(target, property) {
      if (property !== 'transaction') return bound(target, property);
      return () => {
        const builder = target.transaction();
        return new Proxy(builder, {
          get(inner, name) {
            if (name !== 'execute') return bound(inner, name);
            return async <T>(callback: (trx: Kysely<Schema>) => Promise<T>) => {
              const started = performance.now();
              try {
                return await inner.execute(callback);
              } finally {
                const ms = performance.now() - started;
                phases.transactions += ms;
                phases.transactionCount += 1;
                phases.maxTransaction = Math.max(phases.maxTransaction, ms);
              }
            };
          },
        });
      };
    },
  });
}

/** Times the repository's git reads: the log stream, blob reads and snapshot listings. */
function timeRepository(repository: GitRepository, phases: PhaseTimes): GitRepository {
  const timed = async <T>(phase: 'blobs' | 'snapshot', work: Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work;
    } finally {
      phases[phase] += performance.now() - started;
    }
  };
  return new Proxy(repository, {
    get(target, property) {
      if (property === 'readBlobs')
        return (oids: readonly string[]) => timed('blobs', target.readBlobs(oids));
      if (property === 'readSnapshot')
        return (opts: { revision: string; dir: string }) =>
          timed('snapshot', target.readSnapshot(opts));
      if (property === 'readCommits')
        return (opts: Parameters<GitRepository['readCommits']>[0]) =>
          timeStream(target.readCommits(opts), phases);
      return bound(target, property);
    },
  });
}

async function* timeStream<T>(stream: AsyncIterable<T>, phases: PhaseTimes): AsyncGenerator<T> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      const started = performance.now();
      const next = await iterator.next();
      phases.gitLog += performance.now() - started;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/** An open repository and database for in-process passes. */
export interface Engine {
  readonly config: Config;
  readonly database: Database;
  readonly repository: GitRepository;
  /** One syncOnce, timed end to end and by phase. */
  pass(options?: SyncOnceOptions): Promise<MeasuredPass>;
  close(): Promise<void>;
}

/** Opens the workspace's repository and the scenario's database for measured passes. */
export async function openEngine(
  repo: string,
  bench: BenchDatabase,
  open: typeof openRepository = openRepository,
): Promise<Engine> {
  const config = benchConfig(repo, bench);
  const database = await bench.open();
  const repository = await open({ path: repo });
  return {
    config,
    database,
    repository,
    async pass(options = {}) {
      const phases = emptyPhases();
      const context = {
        config,
        logger: silent,
        repository: timeRepository(repository, phases),
        database: { ...database, db: timeTransactions(database.db, phases) },
      };
      const started = performance.now();
      const report = await syncOnce(context, options);
      return { ms: performance.now() - started, report, phases };
    },
    async close() {
      await repository.close();
      await database.close();
    },
  };
}
