import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Backend, createBenchDatabase } from './backends.js';
import { git } from './generate.js';

/** CPU a daemon process used while nothing happened, read from /proc/<pid>/stat. */
export interface IdleResult {
  backend: 'embedded' | 'postgres';
  seconds: number;
  cpuMs: number;
  /** cpuMs over the wall time, in percent of one core. */
  percentOfCore: number;
}

const BIN = new URL('../bin/manifest-sync.js', import.meta.url).pathname;
const MANIFESTS = new URL('../manifests/', import.meta.url).pathname;

/** utime + stime of a process, in ms (clock ticks are 100 per second on Linux). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Starts the built CLI daemon (`dist/`, as deployed) on a repository of the 99 bundled manifests,
 * waits until it is ready and has settled, then reads its CPU over `seconds` with nothing to do.
 */
export async function measureIdle(backend: Backend, seconds = 60, bin = BIN): Promise<IdleResult> {
  const bench = await createBenchDatabase(backend);
  try {
    return await measureIn(bench.url, seconds, bin);
  } finally {
    await bench.drop();
  }
}

async function measureIn(
  databaseUrl: string | null,
  seconds: number,
  bin: string,
): Promise<IdleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-sync-idle-'));
  const repo = join(dir, 'repo');
  cpSync(MANIFESTS, join(repo, 'manifests'), { recursive: true });
  git(dir, ['init', '--quiet', '-b', 'main', repo]);
  git(repo, ['add', '.']);
  git(repo, [
    '-c',
    'user.name=Idle',
    '-c',
    'user.email=idle@bench.example',
    'commit',
    '--quiet',
    '-m',
    'manifests',
  ]);
  const child = spawn(
    process.execPath,
    [
      bin,
      '--repo',
      repo,
      '--data-dir',
      join(dir, 'data'),
      '--log-level',
      'info',
      ...(databaseUrl ? ['--database-url', databaseUrl] : []),
      'daemon',
      '--http-port',
      '0',
      '--host',
      '127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DATABASE_URL: '' } },
  );
  let logs = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (logs.length < 1_000_000) logs += chunk;
  });
  try {
    // Ready (migrated, first sync of 99 manifests done), then 10 s for the pool and GC to settle.
    const deadline = performance.now() + 180_000;
    for (;;) {
      const url = /"url":"(http:[^"]+)"/.exec(logs)?.[1];
      const ready = url
        ? await fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
        : false;
      if (ready) break;
      if (performance.now() > deadline) throw new Error(`the daemon did not get ready: ${logs}`);
      await sleep(250);
    }
    await sleep(10_000);
    const pid = child.pid ?? -1;
    const before = cpuOf(pid);
    const started = performance.now();
    await sleep(seconds * 1000);
    const cpuMs = cpuOf(pid) - before;
    const wallMs = performance.now() - started;
    return {
      backend: databaseUrl ? 'postgres' : 'embedded',
      seconds,
      cpuMs,
      percentOfCore: (cpuMs / wallMs) * 100,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
