import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { loadDaemonConfig } from '../src/config.js';
import { startDaemon } from '../src/daemon/startDaemon.js';
import type { Database } from '../src/db/connection.js';
import { type Backend, createBenchDatabase } from './backends.js';
import { benchConfig, openEngine } from './engine.js';
import type { GeneratedRepo } from './generate.js';
import { bundledBases, deriveManifest, manifestText } from './manifests.js';
import { median, percentile } from './stats.js';
import { createWorkspace, prepareCommit } from './workspace.js';

/** Commit-to-row latency of a running daemon, and its CPU while nothing happens. */
export interface DaemonResult {
  manifests: number;
  backend: Backend;
  samples: number;
  /** From the ref's move (`git update-ref` returned) until the row is visible. */
  medianMs: number;
  p95Ms: number;
  /**
   * Median time of the `git update-ref` process itself, not counted above: started from this
   * large process it costs ~25 ms, the daemon's event loop blocked meanwhile, where a committer's
   * push costs the daemon nothing.
   */
  publishMs: number;
  /** CPU (user + system) the whole process used over `idleSeconds` with nothing to do. */
  idleCpuMs: number;
  idleSeconds: number;
  /** The same commits, each timed while readers poll the page, the API and /metrics ten times a second. */
  readers?: {
    medianMs: number;
    p95Ms: number;
    /** median with readers / median without: the target is at most 1.5. */
    ratio: number;
    requests: number;
    failures: number;
    /** Median response time the readers saw, and bytes per request. */
    readerMedianMs: number;
    bytesPerRequest: number;
  };
}

/** What the readers poll, each every 100 ms (ten times a second), as in the soak of issue 22. */
const READER_PATHS = ['/', '/api/connectors', '/metrics'];

/** Starts the readers in a child process; `stop()` ends them and returns what they saw. */
async function startReaders(url: string) {
  const child = spawn(
    process.execPath,
    [new URL('./readerChild.mjs', import.meta.url).pathname, url, '100', ...READER_PATHS],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('ready\n')) resolve();
    }),
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await ready;
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      const last = output.trim().split('\n').at(-1) ?? '{}';
      return JSON.parse(last) as {
        requests: number;
        failures: number;
        bytes: number;
        medianMs: number;
      };
    },
  };
}

/** Polls (every ~1 ms, one indexed query each) until a version row of `sha` is visible. */
async function waitForRow(database: Database, sha: string, deadline: number): Promise<void> {
  for (;;) {
    const row = await database.db
      .selectFrom('connectorversion')
      .select('id')
      .where('commit_sha', '=', sha)
      .executeTakeFirst();
    if (row) return;
    if (performance.now() > deadline) throw new Error(`no row for ${sha} after the deadline`);
    await sleep(1);
  }
}

/**
 * Starts the daemon in this process (poll interval one hour, so only the ref watcher drives it)
 * on a synced workspace, then times `samples` commits from the moment the ref moves to the moment
 * the version row is visible; then measures 5 s of idle CPU.
 */
export async function measureDaemon(
  repo: GeneratedRepo,
  backend: Backend,
  samples: number,
  idleSeconds = 5,
  withReaders = true,
): Promise<DaemonResult> {
  const workspace = createWorkspace(repo.path);
  const bench = await createBenchDatabase(backend);
  try {
    // Bring the database to the head first: the figure is about one new commit, not the backlog, so
    // the head's snapshot is reconciled (one version per connector) rather than the history replayed.
    const engine = await openEngine(workspace.path, bench);
    await engine.pass({ kind: 'resync' });
    await engine.close();
    const config = benchConfig(workspace.path, bench);
    const daemonConfig = loadDaemonConfig(
      { httpPort: '0', host: '127.0.0.1', pollInterval: '3600' },
      {},
    );
    let database: Database | null = null;
    const daemon = await startDaemon(config, daemonConfig, pino({ level: 'silent' }), {
      routes: (parts) => {
        database = parts.database; // the daemon's own handle: the embedded store allows one opener
        return [];
      },
    });
    try {
      const db = database as unknown as Database;
      const bases = bundledBases();
      await sleep(200); // let the first pass (nothing to do) finish
      let edit = 0;
      const publishes: number[] = [];
      const timeCommits = async (count: number, into: number[]) => {
        for (let i = 0; i < count; i++, edit++) {
          const n = (edit * 104729) % repo.spec.manifests;
          const manifest = deriveManifest(bases, n, [
            { kind: 'describe', text: `Daemon latency edit ${edit}.` },
          ]);
          const path = `manifests/${String(manifest.slug)}.json`;
          const text = manifestText(manifest);
          const commit = prepareCommit(workspace.path, path, text, `Daemon ${edit}`);
          const spawned = performance.now();
          commit.publish();
          // The ref has moved: git wrote it before it exited. The clock starts here.
          const started = performance.now();
          publishes.push(started - spawned);
          await waitForRow(db, commit.sha, started + 30_000);
          into.push(performance.now() - started);
          await sleep(20);
        }
      };
      // Without and with readers in alternating blocks, so a change in the machine's load
      // between the two halves does not pass for the readers' effect.
      const latencies: number[] = [];
      const withLoad: number[] = [];
      const seen = { requests: 0, failures: 0, bytes: 0, medians: [] as number[] };
      const blocks = withReaders ? 4 : 1;
      for (let block = 0; block < blocks; block++) {
        const share = Math.ceil(samples / blocks);
        await timeCommits(share, latencies);
        if (!withReaders) continue;
        const readers = await startReaders(daemon.url);
        await sleep(300);
        await timeCommits(share, withLoad);
        const result = await readers.stop();
        seen.requests += result.requests;
        seen.failures += result.failures;
        seen.bytes += result.bytes;
        seen.medians.push(result.medianMs);
      }
      await sleep(1000);
      const before = process.cpuUsage();
      await sleep(idleSeconds * 1000);
      const used = process.cpuUsage(before);
      return {
        manifests: repo.spec.manifests,
        backend,
        samples,
        medianMs: median(latencies),
        p95Ms: percentile(latencies, 95),
        publishMs: median(publishes),
        idleCpuMs: (used.user + used.system) / 1000,
        idleSeconds,
        ...(withReaders
          ? {
              readers: {
                medianMs: median(withLoad),
                p95Ms: percentile(withLoad, 95),
                ratio: median(withLoad) / median(latencies),
                requests: seen.requests,
                failures: seen.failures,
                readerMedianMs: median(seen.medians),
                bytesPerRequest: seen.requests ? Math.round(seen.bytes / seen.requests) : 0,
              },
            }
          : {}),
      };
    } finally {
      await daemon.stop();
    }
  } finally {
    await bench.drop();
    workspace.remove();
  }
}
