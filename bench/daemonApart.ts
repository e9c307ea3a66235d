import { spawn } from 'node:child_process';
import type { Backend } from './backends.js';
import type { DaemonResult } from './daemon.js';
import type { DaemonFloor } from './floorDaemon.js';
import type { GeneratedRepo } from './generate.js';

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
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CHILD, input], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`daemon child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
    });
  });
}
