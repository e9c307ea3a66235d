import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncLoop } from '../../../src/daemon/loop.js';
import { watchRefs } from '../../../src/daemon/watcher.js';

describe('a ref move nudges the loop through the watcher', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('runs a pass that sees the new revision, long before the interval', async () => {
    const gitDir = mkdtempSync(join(tmpdir(), 'manifest-sync-nudge-'));
    cleanups.push(() => rmSync(gitDir, { recursive: true, force: true }));
    const ref = join(gitDir, 'refs', 'heads', 'main');
    mkdirSync(join(gitDir, 'refs', 'heads'), { recursive: true });
    writeFileSync(ref, 'one\n');

    const seen: string[] = [];
    const loop = new SyncLoop({
      interval: 3_600_000,
      logger: pino({ level: 'silent' }),
      pass: async () => {
        seen.push(readFileSync(ref, 'utf8').trim());
        return { ok: true };
      },
    });
    const watch = watchRefs({ gitDir, branch: 'main', onChange: () => loop.nudge() });
    cleanups.push(
      () => watch.close(),
      () => loop.stop(),
    );
    await watch.ready;
    loop.start();
    await vi.waitFor(() => expect(seen).toEqual(['one']), { timeout: 5_000 });

    writeFileSync(`${ref}.lock`, 'two\n');
    renameSync(`${ref}.lock`, ref);
    await vi.waitFor(() => expect(seen.at(-1)).toBe('two'), { timeout: 5_000, interval: 5 });
    expect(loop.passes).toBeGreaterThanOrEqual(2);
  });
});
