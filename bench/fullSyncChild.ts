// The child process of measureFullSync: one sync (or resync), then its figures as one JSON line.
import { boundHeapHeadroom } from '../src/heapHeadroom.js';
import type { Backend } from './backends.js';
import { openEngine } from './engine.js';
import { type MemorySplit, memoryTracker } from './memory.js';

const { repo, url, dataDir, backend, kind } = JSON.parse(process.argv[2] ?? '{}') as {
  repo: string;
  url: string | null;
  dataDir: string;
  backend: Backend;
  /** @default 'sync' */
  kind?: 'sync' | 'resync';
};
// As the CLI does for every command that opens the store (see src/heapHeadroom.ts).
boundHeapHeadroom();
const memory = await memoryTracker();
const engine = await openEngine(repo, {
  backend,
  url,
  dataDir,
  open: async () => {
    const { openDatabase } = await import('../src/db/connection.js');
    return openDatabase({ url, dataDir, holder: 'manifest-sync bench' });
  },
  drop: async () => {},
});
try {
  const atOpen: MemorySplit = memory.sample();
  memory.start();
  const pass = await engine.pass({ kind: kind ?? 'sync' });
  const atPeak = memory.stop();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      ms: pass.ms,
      versions: pass.report.versionsCreated,
      peakRssMb,
      memory: { atOpen, atPeak },
      phases: pass.phases,
    }),
  );
} finally {
  await engine.close();
}
