import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadDaemonConfig } from '../src/config.js';
import { startDaemon } from '../src/daemon/startDaemon.js';
import type { Database } from '../src/db/connection.js';
import { type Backend, createBenchDatabase } from './backends.js';
import { benchConfig, openEngine } from './engine.js';
import type { GeneratedRepo } from './generate.js';
import { deriveManifest, loadBundledManifests, manifestText, trimBases } from './manifests.js';
import { median, percentile } from './stats.js';
import { createWorkspace, prepareCommit } from './workspace.js';

/** Commit-to-row latency of a running daemon, and its CPU while nothing happens. */
export interface DaemonResult {
  manifests: number;
  backend: Backend;
  samples: number;
  medianMs: number;
  p95Ms: number;
  /** CPU (user + system) the whole process used over `idleSeconds` with nothing to do. */
  idleCpuMs: number;
  idleSeconds: number;
}

const BUNDLED_DIR = new URL('../manifests/', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
): Promise<DaemonResult> {
  const workspace = createWorkspace(repo.path);
  const bench = await createBenchDatabase(backend);
  try {
    // Bring the database to the head first: the figure is about one new commit, not the backlog.
    const engine = await openEngine(workspace.path, bench);
    await engine.pass();
    await engine.close();
    const config = benchConfig(workspace.path, bench);
    const daemonConfig = loadDaemonConfig(
      { httpPort: '0', host: '127.0.0.1', pollInterval: '3600' },
      {},
    );
    let database: Database | null = null;
    const daemon = await startDaemon(config, daemonConfig, pino({ level: 'silent' }), (parts) => {
      database = parts.database; // the daemon's own handle: the embedded store allows one opener
      return [];
    });
    try {
      const db = database as unknown as Database;
      const bases = trimBases(loadBundledManifests(BUNDLED_DIR));
      const latencies: number[] = [];
      await sleep(200); // let the first pass (nothing to do) finish
      for (let i = 0; i < samples; i++) {
        const n = (i * 104729) % repo.spec.manifests;
        const manifest = deriveManifest(bases, n, [
          { kind: 'describe', text: `Daemon latency edit ${i}.` },
        ]);
        const path = `manifests/${String(manifest.slug)}.json`;
        const commit = prepareCommit(workspace.path, path, manifestText(manifest), `Daemon ${i}`);
        const started = performance.now();
        commit.publish();
        await waitForRow(db, commit.sha, started + 30_000);
        latencies.push(performance.now() - started);
        await sleep(20);
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
        idleCpuMs: (used.user + used.system) / 1000,
        idleSeconds,
      };
    } finally {
      await daemon.stop();
    }
  } finally {
    await bench.drop();
    workspace.remove();
  }
}
