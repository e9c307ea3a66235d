// The no-op sync and the unchanged resync as a user runs them: `node bin/manifest-sync.js`, end
// to end (process start, imports, opening the database, git, the run), beside the floor of any
// command: `node bin/manifest-sync.js --version` (Node starting and loading the CLI).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchDatabase } from './backends.js';
import { median } from './stats.js';

/** Medians of `samples` interleaved runs of each command, in ms. */
export interface ProcessFigures {
  samples: number;
  /** `manifest-sync --version`: the floor. */
  versionMs: number;
  /** `manifest-sync sync` on an up-to-date database: nothing to apply. */
  syncMs: number;
  /** `manifest-sync resync` of the unchanged head: nothing to write. */
  resyncMs: number;
  /** `manifest-sync status`: a read-only command (issue 20's target on the embedded store). */
  statusMs: number;
}

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'manifest-sync.js');

function run(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  const ms = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`manifest-sync ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/**
 * Runs `--version`, `sync`, `resync` and `status` in turn, `samples` times, against the scenario's
 * up-to-date database (nothing else may hold the embedded store). Null without `npm run build`.
 */
export function measureProcesses(
  repo: string,
  database: BenchDatabase,
  samples = 3,
): ProcessFigures | null {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) return null;
  const target = [
    '--repo',
    repo,
    '--branch',
    'main',
    ...(database.url === null
      ? ['--data-dir', database.dataDir]
      : ['--database-url', database.url]),
  ];
  const times = {
    version: [] as number[],
    sync: [] as number[],
    resync: [] as number[],
    status: [] as number[],
  };
  for (let i = 0; i < samples; i++) {
    times.version.push(run(['--version']));
    times.sync.push(run(['sync', ...target]));
    times.resync.push(run(['resync', ...target]));
    times.status.push(run(['status', ...target]));
  }
  return {
    samples,
    versionMs: median(times.version),
    syncMs: median(times.sync),
    resyncMs: median(times.resync),
    statusMs: median(times.status),
  };
}
