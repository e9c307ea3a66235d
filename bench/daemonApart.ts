import type { Backend } from './backends.js';
import type { DaemonResult } from './daemon.js';
import type { DaemonFloor } from './floorDaemon.js';
import type { GeneratedRepo } from './generate.js';
import { runJsonChild } from './jsonChild.js';

const CHILD = new URL('./daemonChild.ts', import.meta.url).pathname;

/**
 * The daemon's commit-to-row and its floor, measured in a child process (`daemonChild.ts`, run
 * as this process runs: under tsx). Measured in the bench's own process after the scenarios, both
 * were 10-17 ms slower than alone (51.3 against 41.6 ms, the floor 48.2 against 31.1 ms): every
 * `git` the floor and the ref moves start is a fork of that process, and its garbage collector
 * works through what the 100,000-manifest scenario left. A deployed daemon has its process to
 * itself.
 */
export function measureDaemonApart(
  repo: GeneratedRepo,
  backend: Backend,
  samples: number,
): Promise<{ daemon: DaemonResult; floor: DaemonFloor }> {
  const input = JSON.stringify({ repo, backend, samples });
  return runJsonChild([...process.execArgv, CHILD, input], 'daemon child');
}
