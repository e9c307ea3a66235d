// The floors of a full sync and of a replay: the git reads and the row writes no implementation
// can avoid, measured on the scenario's repository and database, one after the other.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BenchDatabase } from './backends.js';
import { catFileBatch, listTree, logRaw } from './floorGit.js';
import { type FloorRow, openScratch } from './floorScratch.js';

/** A floor: its wall time, split into git (listing or log, then cat-file) and the write (one COPY). */
export interface SyncFloor {
  ms: number;
  gitMs: number;
  writeMs: number;
  rows: number;
  /** Replay only: the commits in the range, and commits per second at the floor. */
  commits?: number;
  commitsPerSecond?: number;
}

const DIR = 'manifests';

/** Makes the rows and writes them with one COPY in one transaction into a scratch table; returns ms. */
async function timedCopy(database: BenchDatabase, rows: () => FloorRow[]): Promise<number> {
  const scratch = await openScratch(database);
  try {
    const started = performance.now();
    const made = rows();
    const copied = await scratch.copy(made);
    const ms = performance.now() - started;
    if (copied !== made.length)
      throw new Error(`the floor copied ${copied} rows of ${made.length}`);
    return ms;
  } finally {
    await scratch.close();
  }
}

/**
 * Full sync floor: `git ls-tree` of the revision, every manifest blob through one
 * `cat-file --batch`, then one COPY of a version row per manifest (the blob's text as JSONB).
 */
export async function measureFullSyncFloor(
  repo: string,
  revision: string,
  database: BenchDatabase,
): Promise<SyncFloor> {
  const started = performance.now();
  const entries = await listTree(repo, revision, DIR);
  const texts = await catFileBatch(
    repo,
    entries.map((e) => e.oid),
  );
  const gitMs = performance.now() - started;
  const writeMs = await timedCopy(database, () =>
    entries.map((entry, i) => ({
      id: randomUUID(),
      connectorId: randomUUID(),
      version: '1.0.0',
      manifest: texts[i] ?? '',
      commitSha: revision,
      blobOid: entry.oid,
    })),
  );
  return { ms: gitMs + writeMs, gitMs, writeMs, rows: entries.length };
}

/**
 * Replay floor: one `git log --raw` of (from, to], the added and modified blobs through one
 * `cat-file --batch`, then one COPY of a version row per changed manifest per commit.
 */
export async function measureReplayFloor(
  repo: string,
  from: string,
  to: string,
  database: BenchDatabase,
): Promise<SyncFloor> {
  const started = performance.now();
  const commits = await logRaw(repo, from, to, DIR);
  const changes = commits.flatMap((c) => c.changed.map((entry) => ({ sha: c.sha, ...entry })));
  const texts = await catFileBatch(
    repo,
    changes.map((c) => c.oid),
  );
  const gitMs = performance.now() - started;
  const writeMs = await timedCopy(database, () => {
    const connectors = new Map<string, { id: string; versions: number }>();
    return changes.map((change, i) => {
      let connector = connectors.get(change.path);
      if (!connector) {
        connector = { id: randomUUID(), versions: 0 };
        connectors.set(change.path, connector);
      }
      connector.versions += 1;
      return {
        id: randomUUID(),
        connectorId: connector.id,
        version: `1.0.${connector.versions}`,
        manifest: texts[i] ?? '',
        commitSha: change.sha,
        blobOid: change.oid,
      };
    });
  });
  const ms = gitMs + writeMs;
  return {
    ms,
    gitMs,
    writeMs,
    rows: changes.length,
    commits: commits.length,
    commitsPerSecond: (commits.length * 1000) / ms,
  };
}
