import { spawn } from 'node:child_process';
import type { BenchDatabase } from './backends.js';
import type { PhaseTimes } from './engine.js';
import type { MemorySplit } from './memory.js';

/** A full first sync measured in its own process, so its peak RSS is its own. */
export interface FullSyncResult {
  ms: number;
  versions: number;
  /** process.resourceUsage().maxRSS of the child, in MB (includes Node and tsx, ~60-80 MB). */
  peakRssMb: number;
  /** Where it went: the split once the database is open, and at the largest RSS sampled during the sync. */
  memory: { atOpen: MemorySplit; atPeak: MemorySplit };
  phases: PhaseTimes;
}

const CHILD = new URL('./fullSyncChild.ts', import.meta.url).pathname;

/** Runs the full sync of the workspace's `main` into `database` in a child process. */
export function measureFullSync(repo: string, database: BenchDatabase): Promise<FullSyncResult> {
  const input = JSON.stringify({
    repo,
    url: database.url,
    dataDir: database.dataDir,
    backend: database.backend,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, input], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`full sync child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as FullSyncResult);
    });
  });
}
