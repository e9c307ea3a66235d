// The daemon's commit-to-row floor: the ref change seen by a watcher, one git read of the
// commit's change, one transaction inserting one version row. Nothing from src/.
import { randomUUID } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Backend, createBenchDatabase } from './backends.js';
import { CatFile, gitBytes } from './floorGit.js';
import { openScratch } from './floorScratch.js';
import type { GeneratedRepo } from './generate.js';
import { bundledBases, deriveManifest, manifestText } from './manifests.js';
import { median, percentile } from './stats.js';
import { createWorkspace, prepareCommit } from './workspace.js';

/** The floor of one commit's way from the ref's move to a visible row, and its three parts (medians). */
export interface DaemonFloor {
  manifests: number;
  backend: Backend;
  samples: number;
  medianMs: number;
  p95Ms: number;
  /** From the ref's move (`git update-ref` returned, as in the daemon's figure) until fs.watch reports it. */
  watchMs: number;
  /** `git log -1 --raw` of the new head, then its blob through an open `cat-file --batch`. */
  gitMs: number;
  /** BEGIN, one INSERT of the version row, COMMIT. */
  transactionMs: number;
}

/** The ref's next change: resolves when fs.watch reports the file `name` in `dir`. */
function refWatcher(dir: string, name: string) {
  let waiter: (() => void) | null = null;
  const watcher: FSWatcher = watch(dir, (_event, file) => {
    if (file === name && waiter) {
      const done = waiter;
      waiter = null;
      done();
    }
  });
  return {
    next: () =>
      new Promise<void>((resolve) => {
        waiter = resolve;
      }),
    close: () => watcher.close(),
  };
}

/**
 * Times `samples` commits, each prepared with plumbing and published with `git update-ref` as in
 * bench/daemon.ts, through the least work a daemon must do, on a fresh database of `backend`.
 */
export async function measureDaemonFloor(
  repo: GeneratedRepo,
  backend: Backend,
  samples = 20,
): Promise<DaemonFloor> {
  const workspace = createWorkspace(repo.path);
  const bench = await createBenchDatabase(backend);
  const scratch = await openScratch(bench);
  const reader = new CatFile(workspace.path);
  const watcher = refWatcher(join(workspace.path, 'refs', 'heads'), 'main');
  try {
    const bases = bundledBases();
    const totals: number[] = [];
    const parts = { watch: [] as number[], git: [] as number[], transaction: [] as number[] };
    for (let i = 0; i < samples; i++) {
      const n = (i * 104729) % repo.spec.manifests;
      const manifest = deriveManifest(bases, n, [
        { kind: 'describe', text: `Daemon floor edit ${i}.` },
      ]);
      const path = `manifests/${String(manifest.slug)}.json`;
      const commit = prepareCommit(workspace.path, path, manifestText(manifest), `Floor ${i}`);
      const seen = watcher.next();
      commit.publish();
      const started = performance.now();
      await seen;
      const watched = performance.now();
      const log = (
        await gitBytes(workspace.path, [
          'log',
          '-1',
          '--raw',
          '--no-abbrev',
          '--no-renames',
          '--format=%H',
          'refs/heads/main',
          '--',
          'manifests/',
        ])
      ).toString('utf8');
      const raw = log.split('\n').find((line) => line.startsWith(':')) ?? '';
      const oid = raw.split(' ')[3] ?? '';
      const [text = ''] = await reader.read([oid]);
      const read = performance.now();
      await scratch.insertOne({
        id: randomUUID(),
        connectorId: randomUUID(),
        version: '1.0.0',
        manifest: text,
        commitSha: log.split('\n')[0] ?? '',
        blobOid: oid,
      });
      const done = performance.now();
      if (log.split('\n')[0] !== commit.sha) throw new Error('the floor read another commit');
      totals.push(done - started);
      parts.watch.push(watched - started);
      parts.git.push(read - watched);
      parts.transaction.push(done - read);
      await sleep(20);
    }
    return {
      manifests: repo.spec.manifests,
      backend,
      samples,
      medianMs: median(totals),
      p95Ms: percentile(totals, 95),
      watchMs: median(parts.watch),
      gitMs: median(parts.git),
      transactionMs: median(parts.transaction),
    };
  } finally {
    watcher.close();
    await reader.close();
    await scratch.close();
    await bench.drop();
    workspace.remove();
  }
}
