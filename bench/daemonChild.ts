// The child process of measureDaemonApart: the daemon's commit-to-row, then its floor, as one
// JSON line. A process of their own, as a deployed daemon has, so that neither pays for the heap
// the scenarios before them left in the bench's process (see daemonApart.ts).
import type { Backend } from './backends.js';
import { measureDaemon } from './daemon.js';
import { measureDaemonFloor } from './floorDaemon.js';
import type { GeneratedRepo } from './generate.js';

const { repo, backend, samples } = JSON.parse(process.argv[2] ?? '{}') as {
  repo: GeneratedRepo;
  backend: Backend;
  samples: number;
};
const daemon = await measureDaemon(repo, backend, samples);
const floor = await measureDaemonFloor(repo, backend);
console.log(JSON.stringify({ daemon, floor }));
