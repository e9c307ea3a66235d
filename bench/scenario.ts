import { type Backend, createBenchDatabase } from './backends.js';
import { openEngine, type PhaseTimes } from './engine.js';
import { measureFullSyncFloor, measureReplayFloor, type SyncFloor } from './floorSync.js';
import { type FullSyncResult, measureFullSync } from './fullSync.js';
import type { GeneratedRepo } from './generate.js';
import { bundledBases, deriveManifest, manifestText } from './manifests.js';
import { measureProcesses, type ProcessFigures } from './processes.js';
import { median } from './stats.js';
import { createWorkspace, prepareCommit } from './workspace.js';

/** Everything measured on one repository size and one backend. */
export interface ScenarioResult {
  manifests: number;
  backend: Backend;
  full: FullSyncResult;
  replay: { commits: number; ms: number; commitsPerSecond: number; phases: PhaseTimes } | null;
  /** One new commit changing one manifest: update-ref → syncOnce done, and its transaction alone. */
  incremental: { samples: number; endToEndMs: number; transactionMs: number };
  resync: { ms: number; versionsCreated: number; phases: PhaseTimes };
  /** The same work done with the least code, on the same repository and database, right after. */
  floors: { full: SyncFloor; replay: SyncFloor | null };
  /** `sync` and `resync` as processes on the up-to-date database, beside `--version`; null without dist/. */
  processes: ProcessFigures | null;
}

/** Options for {@link runScenario}. */
export interface ScenarioOptions {
  /** Skip the history replay (e.g. the 100,000-manifest embedded case). */
  replay: boolean;
  incrementalSamples: number;
}

/**
 * Full sync of the first commit (child process), replay of the rest of the history, a resync
 * of the unchanged head, then single-commit increments; on a fresh database, dropped after.
 * Each of the first two is followed by its floor (floorSync.ts) on the same data; at the end, the
 * no-op sync and unchanged resync run as processes.
 */
export async function runScenario(
  repo: GeneratedRepo,
  backend: Backend,
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const workspace = createWorkspace(repo.path);
  const database = await createBenchDatabase(backend);
  try {
    workspace.moveMain(workspace.base);
    const full = await measureFullSync(workspace.path, database);
    const fullFloor = await measureFullSyncFloor(workspace.path, workspace.base, database);
    let replayFloor: SyncFloor | null = null;
    let engine = await openEngine(workspace.path, database);
    let result: Omit<ScenarioResult, 'processes'>;
    try {
      let replay: ScenarioResult['replay'] = null;
      if (options.replay) {
        workspace.moveMain(workspace.tip);
        const pass = await engine.pass();
        const commits = pass.report.commitsApplied;
        replay = {
          commits,
          ms: pass.ms,
          commitsPerSecond: (commits * 1000) / pass.ms,
          phases: pass.phases,
        };
        // The floor writes through its own connection (the embedded store takes one opener).
        await engine.close();
        replayFloor = await measureReplayFloor(
          workspace.path,
          workspace.base,
          workspace.tip,
          database,
        );
        engine = await openEngine(workspace.path, database);
      }
      const resyncPass = await engine.pass({ kind: 'resync' });
      const resync = {
        ms: resyncPass.ms,
        versionsCreated: resyncPass.report.versionsCreated,
        phases: resyncPass.phases,
      };
      const bases = bundledBases();
      const endToEnd: number[] = [];
      const transaction: number[] = [];
      for (let i = 0; i < options.incrementalSamples; i++) {
        const n = (i * 7919) % repo.spec.manifests;
        const manifest = deriveManifest(bases, n, [
          { kind: 'describe', text: `Incremental edit ${i} of the benchmark.` },
        ]);
        const path = `manifests/${String(manifest.slug)}.json`;
        const commit = prepareCommit(
          workspace.path,
          path,
          manifestText(manifest),
          `Incremental ${i}`,
        );
        const started = performance.now();
        commit.publish();
        const pass = await engine.pass();
        endToEnd.push(performance.now() - started);
        transaction.push(pass.phases.transactions);
        if (pass.report.versionsCreated !== 1)
          throw new Error('an incremental commit made no version');
      }
      result = {
        manifests: repo.spec.manifests,
        backend,
        full,
        replay,
        incremental: {
          samples: endToEnd.length,
          endToEndMs: median(endToEnd),
          transactionMs: median(transaction),
        },
        resync,
        floors: { full: fullFloor, replay: replayFloor },
      };
    } finally {
      await engine.close();
    }
    return { ...result, processes: measureProcesses(workspace.path, database) };
  } finally {
    await database.drop();
    workspace.remove();
  }
}
