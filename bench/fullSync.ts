import { fileURLToPath } from 'node:url';
import type { BenchDatabase } from './backends.js';
import type { PhaseTimes } from './engine.js';
import { runJsonChild } from './jsonChild.js';
import type { MemorySplit } from './memory.js';

/** A full first sync measured in its own process, so its peak RSS is its own. */
export interface FullSyncResult {
  ms: number;
  versions: number;
  /** process.resourceUsage().maxRSS of the child (plain Node running the bundled sources), in MB. */
  peakRssMb: number;
  /** Where it went: the split once the database is open, and at the largest RSS sampled during the sync. */
  memory: { atOpen: MemorySplit; atPeak: MemorySplit };
  phases: PhaseTimes;
}

const CHILD = new URL('./fullSyncChild.ts', import.meta.url).pathname;

/**
 * The child bundled as `npm run build` bundles the CLI (esbuild, the same packages left out), so
 * it runs on plain Node: its RSS is the product's, not tsx's (which added 40-60 MB, from
 * 389-419 MB to the CLI's 327-340 MB at 100,000 manifests). Built once per bench run.
 */
let bundled: Promise<string> | null = null;
function bundledChild(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    // Two levels below the checkout, as dist/cli/ is: paths the sources resolve from their own
    // file (the migrations) and the packages left out (node_modules) are found the same way.
    const outfile = fileURLToPath(new URL('./.work/fullSyncChild.mjs', import.meta.url));
    await build({
      entryPoints: [CHILD],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // As scripts/build.mjs has them (keep the two in step): packages that find their own files.
      external: ['@electric-sql/pglite', 'pg', 'pino', 'pino-pretty', 'thread-stream'],
      banner: {
        js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
      },
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}

/**
 * Runs a sync of the workspace's `main` into `database` in a child process (a full sync on an
 * empty database): `kind` 'resync' resyncs instead, `heapMb` caps V8's heap (a child that runs
 * out of it rejects).
 */
export async function measureFullSync(
  repo: string,
  database: BenchDatabase,
  options: { kind?: 'sync' | 'resync'; heapMb?: number } = {},
): Promise<FullSyncResult> {
  const input = JSON.stringify({
    repo,
    url: database.url,
    dataDir: database.dataDir,
    backend: database.backend,
    kind: options.kind ?? 'sync',
  });
  const script = await bundledChild();
  const heap = options.heapMb === undefined ? [] : [`--max-old-space-size=${options.heapMb}`];
  return runJsonChild<FullSyncResult>([...heap, script, input], 'full sync child');
}
