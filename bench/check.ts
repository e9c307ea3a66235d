import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openRepository } from '../src/git/index.js';
import { checkRevisions } from '../src/sync/checkRevisions.js';
import type { GeneratedRepo } from './generate.js';
import { git } from './generate.js';
import { median } from './stats.js';
import { createWorkspace } from './workspace.js';

/** What the `check` scenario measured: a pull request of `changed` manifests in a `manifests` repository. */
export interface CheckResult {
  manifests: number;
  changed: number;
  /** openRepository + checkRevisions + close, in this process: median of `samples` runs, and the first. */
  medianMs: number;
  firstMs: number;
  samples: number;
  /** `node bin/manifest-sync.js check --json` end to end (process start included); null without dist/. */
  processMs: number | null;
  /** Blobs read through cat-file in one run: the changed files and their base versions, nothing else. */
  blobsRead: number;
  entries: number;
}

const ROOT = new URL('..', import.meta.url).pathname;

/**
 * Commits `changed` edited manifests on top of the first commit (every manifest added) with
 * plumbing: each description changes, every fifth also loses its first action (a major bump).
 */
function commitChange(repo: string, base: string, changed: number): string {
  const listing = git(repo, ['ls-tree', base, 'manifests/']).split('\n');
  const step = Math.floor(listing.length / changed);
  const index = join(repo, `bench-check-index-${process.pid}`);
  const env = { ...process.env, GIT_INDEX_FILE: index };
  const run = (args: string[], input?: string) =>
    execFileSync('git', args, { cwd: repo, env, input, encoding: 'utf8' }).trim();
  try {
    run(['read-tree', base]);
    for (let i = 0; i < changed; i++) {
      const [meta = '', path = ''] = (listing[i * step] ?? '').split('\t');
      const oid = meta.split(' ')[2] ?? '';
      const manifest = JSON.parse(git(repo, ['cat-file', 'blob', oid]));
      manifest.description = `${manifest.description} (edited in the pull request)`;
      if (i % 5 === 0) delete manifest.actions[Object.keys(manifest.actions)[0] ?? ''];
      const blob = run(['hash-object', '-w', '--stdin'], `${JSON.stringify(manifest, null, 2)}\n`);
      run(['update-index', '--cacheinfo', `100644,${blob},${path}`]);
    }
    const tree = run(['write-tree']);
    return run([
      '-c',
      'user.name=Bench',
      '-c',
      'user.email=bench@bench.example',
      'commit-tree',
      tree,
      '-p',
      base,
      '-m',
      `Edit ${changed} manifests`,
    ]);
  } finally {
    rmSync(index, { force: true });
  }
}

/** Measures `check` on a pull request touching `changed` manifests of the repository's first commit. */
export async function measureCheck(
  repo: GeneratedRepo,
  changed = 10,
  samples = 5,
): Promise<CheckResult> {
  const workspace = createWorkspace(repo.path);
  try {
    const head = commitChange(workspace.path, workspace.base, changed);
    const config = { path: 'manifests', versionPolicy: 'auto' as const };
    const times: number[] = [];
    let blobsRead = 0;
    let entries = 0;
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      const repository = await openRepository({ path: workspace.path });
      let read = 0;
      const counting = new Proxy(repository, {
        get(target, key) {
          const value = Reflect.get(target, key);
          if (typeof value !== 'function') return value;
          // Private fields: every method runs on the repository itself, not on the proxy.
          if (key !== 'readBlobs' && key !== 'readBlobsUpTo') return value.bind(target);
          return (oids: readonly string[], ...rest: unknown[]) => {
            read += new Set(oids).size;
            return value.call(target, oids, ...rest);
          };
        },
      });
      try {
        const report = await checkRevisions(
          { repository: counting, config },
          { base: workspace.base, head },
        );
        entries = report.entries.length;
      } finally {
        await repository.close();
      }
      times.push(performance.now() - started);
      blobsRead = read;
    }
    const bin = join(ROOT, 'bin', 'manifest-sync.js');
    let processMs: number | null = null;
    // The built CLI (`npm run build`): one bundle since 2026-12-02, its commands in chunks.
    if (existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
      const started = performance.now();
      const result = spawnSync(
        process.execPath,
        [
          bin,
          'check',
          '--repo',
          workspace.path,
          '--base',
          workspace.base,
          '--head',
          head,
          '--json',
        ],
        { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } },
      );
      processMs = performance.now() - started;
      if (result.status !== 0) throw new Error(`check exited ${result.status}: ${result.stderr}`);
    }
    return {
      manifests: repo.spec.manifests,
      changed,
      medianMs: median(times),
      firstMs: times[0] ?? 0,
      samples,
      processMs,
      blobsRead,
      entries,
    };
  } finally {
    workspace.remove();
  }
}
