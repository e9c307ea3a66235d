// Memory with manifests near the 1 MiB limit: what a sync holds is bounded by what it chooses to
// read (slices of at most 16 MiB of text), not by what a commit holds.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Backend, type BenchDatabase, createBenchDatabase } from './backends.js';
import { type FullSyncResult, measureFullSync } from './fullSync.js';
import { BENCH_DIR, commitHeader, fileCommand, git, write } from './generate.js';
import { bundledBases, deriveManifest, type Json, manifestText } from './manifests.js';
import { createWorkspace } from './workspace.js';

/** Bump when the generated content changes, so stale caches are not reused. */
const GENERATOR_VERSION = 2;
/** Each manifest's size: under the 1 MiB limit (1,048,576 bytes), as near as whole actions allow. */
const TARGET_BYTES = 1_000_000;
/** V8's heap for the capped run: far less than what the commit holds (300 MB of texts). */
const HEAP_CAP_MB = 256;
/**
 * V8's heap for the deletion: less than the stored manifests take parsed (~165 MB of JSON for
 * 300), more than a slice's (16 MiB).
 */
const DELETE_HEAP_CAP_MB = 128;

export interface LargeResult {
  backend: Backend;
  manifests: number;
  bytesEach: number;
  /** One commit adding every manifest, synced into an empty database. */
  add: FullSyncResult;
  /** The same, with V8's heap capped at HEAP_CAP_MB: null when the child ran out of it. */
  addCapped: FullSyncResult | null;
  heapCapMb: number;
  /** The next commit, changing every manifest's description. */
  change: FullSyncResult;
  /**
   * The next commit, deleting every manifest, with V8's heap capped at `deleteHeapCapMb`: no text
   * to read, but each connector's stored manifest is state its plan is made against. Null when
   * the child ran out of heap.
   */
  remove: FullSyncResult | null;
  deleteHeapCapMb: number;
  /** A resync of the head into another empty database. */
  resync: FullSyncResult;
}

/** The n-th large manifest's file and text: a bundled one grown with copies of its first action to ~1 MB. */
function largeManifest(bases: readonly string[], n: number, description?: string) {
  const manifest = deriveManifest(
    bases,
    n,
    description ? [{ kind: 'describe', text: description }] : [],
  );
  const actions = manifest.actions as Record<string, Json>;
  const [first] = Object.values(actions);
  const grown = (count: number) => {
    const copies: Record<string, Json> = { ...actions };
    for (let i = 0; i < count; i++) copies[`bulk_${i}`] = first as Json;
    return manifestText({ ...manifest, actions: copies });
  };
  const each = Buffer.byteLength(grown(2)) - Buffer.byteLength(grown(1));
  const count = Math.floor((TARGET_BYTES - Buffer.byteLength(grown(0))) / each);
  return { file: fileOf(manifest), text: grown(count) };
}

/** Where a manifest is committed. */
function fileOf(manifest: Json): string {
  return `manifests/${String(manifest.slug)}.json`;
}

/**
 * The cached repository: `bench-base` adds `count` large manifests, `bench-change` changes them
 * all, `main` deletes them all.
 */
async function ensureLargeRepo(count: number): Promise<{ path: string; bytesEach: number }> {
  const path = join(BENCH_DIR, '.work', `large-v${GENERATOR_VERSION}-n${count}`);
  const done = join(path, 'bench-complete');
  if (existsSync(done)) return { path, bytesEach: Number(git(path, ['config', 'bench.bytes'])) };
  const building = `${path}.tmp-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  git(building, ['init', '--quiet', '--bare']);
  git(building, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  const child = spawn('git', ['-c', 'pack.compression=1', 'fast-import', '--quiet', '--done'], {
    cwd: building,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  child.on('error', () => {}); // 'close' reports it
  const exited = once(child, 'close');
  const bases = bundledBases();
  let bytes = 0;
  await write(child.stdin, 'feature done\n');
  for (const [mark, description] of [
    [1, undefined],
    [2, 'Changed in bulk.'],
  ] as const) {
    const message = description
      ? `Change ${count} large manifests`
      : `Add ${count} large manifests`;
    await write(child.stdin, commitHeader(mark, 1_700_000_000 + mark * 60, message));
    for (let n = 0; n < count; n++) {
      const { file, text } = largeManifest(bases, n, description);
      bytes = Math.max(bytes, Buffer.byteLength(text));
      await write(child.stdin, fileCommand(file, text));
    }
    // One typical manifest stays when the large ones are deleted: the folder is never emptied.
    if (mark === 1) {
      const kept = deriveManifest(bases, count, []);
      await write(child.stdin, fileCommand(fileOf(kept), manifestText(kept)));
    }
    await write(child.stdin, '\n');
  }
  await write(child.stdin, commitHeader(3, 1_700_000_180, `Delete ${count} large manifests`));
  for (let n = 0; n < count; n++)
    await write(child.stdin, `D ${fileOf(deriveManifest(bases, n, []))}\n`);
  await write(child.stdin, '\n');
  await write(child.stdin, 'reset refs/tags/bench-base\nfrom :1\n\n');
  await write(child.stdin, 'reset refs/tags/bench-change\nfrom :2\n\n');
  await write(child.stdin, 'done\n');
  child.stdin.end();
  const [code] = await exited;
  if (code !== 0) throw new Error(`git fast-import exited with ${code}`);
  git(building, ['config', 'bench.bytes', String(bytes)]);
  writeFileSync(join(building, 'bench-complete'), `${count}\n`);
  rmSync(path, { recursive: true, force: true });
  renameSync(building, path);
  return { path, bytesEach: bytes };
}

/** Adds, changes and resyncs `count` manifests of ~1 MB, each in a child process of its own. */
export async function measureLarge(backend: Backend, count: number): Promise<LargeResult> {
  const repo = await ensureLargeRepo(count);
  const workspace = createWorkspace(repo.path);
  const databases: BenchDatabase[] = [];
  try {
    const fresh = async () => {
      const database = await createBenchDatabase(backend);
      databases.push(database);
      return database;
    };
    workspace.moveMain(workspace.base);
    const addCapped = await measureFullSync(workspace.path, await fresh(), {
      heapMb: HEAP_CAP_MB,
    }).catch(() => null);
    const database = await fresh();
    const add = await measureFullSync(workspace.path, database);
    const changed = git(workspace.path, ['rev-parse', 'refs/tags/bench-change^{commit}']);
    workspace.moveMain(changed);
    const change = await measureFullSync(workspace.path, database);
    const resync = await measureFullSync(workspace.path, await fresh(), { kind: 'resync' });
    workspace.moveMain(workspace.tip);
    const remove = await measureFullSync(workspace.path, database, {
      heapMb: DELETE_HEAP_CAP_MB,
    }).catch(() => null);
    return {
      backend,
      manifests: count,
      bytesEach: repo.bytesEach,
      add,
      addCapped,
      heapCapMb: HEAP_CAP_MB,
      change,
      remove,
      deleteHeapCapMb: DELETE_HEAP_CAP_MB,
      resync,
    };
  } finally {
    for (const database of databases) await database.drop();
    workspace.remove();
  }
}
