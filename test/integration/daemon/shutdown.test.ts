import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const child = fileURLToPath(new URL('./signalChild.ts', import.meta.url));
const within = { timeout: 15_000, interval: 20 };

/** Starts the child, resolving once its handlers are installed. */
async function spawnChild(mode: 'drains' | 'hangs', deadlineMs = 60_000) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, mode, String(deadlineMs)]);
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  await vi.waitFor(() => expect(out).toContain('ready'), within);
  return { proc, exited, output: () => out };
}

describe('installSignalHandlers on a real process', () => {
  let proc: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    proc = undefined;
  });

  it('SIGTERM drains gracefully and the process ends on its own', async () => {
    const c = await spawnChild('drains');
    proc = c.proc;
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    expect(c.output()).toBe('ready\ngraceful\n');
  });

  it('a second signal forces', async () => {
    const c = await spawnChild('hangs');
    proc = c.proc;
    c.proc.kill('SIGTERM');
    await vi.waitFor(() => expect(c.output()).toContain('graceful'), within);
    c.proc.kill('SIGINT');
    expect(await c.exited).toBe(3);
    expect(c.output()).toBe('ready\ngraceful\nforce\n');
  });

  it('the deadline forces a graceful stop that hangs', async () => {
    const c = await spawnChild('hangs', 200);
    proc = c.proc;
    c.proc.kill('SIGINT');
    expect(await c.exited).toBe(3);
    expect(c.output()).toBe('ready\ngraceful\nforce\n');
  });
});
