import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { Cleanup, startTestDaemon, type TestDaemon } from '../daemon/harness.js';
import { type AuditFixture, createAuditFixture, LEGACY } from './fixture.js';

/**
 * `status`, `history`, `show`, `audit-log` and `diff SLUG@A SLUG@B` with `--daemon URL` read
 * through a running daemon's read API: what they print must be what they print reading the
 * database themselves, on both backends. Embedded, the daemon holds the store, so `--daemon` is
 * the only way in (and the refusal says so).
 */

let fx: AuditFixture;
const cleanup = new Cleanup();
beforeAll(async () => {
  fx = await createAuditFixture();
  await fx.testDb.exec(LEGACY.sql);
  // An operator action, so the audit log and history's actions are not empty.
  const yank = await cli('yank', 'gmail@1.1.0', '--reason', 'broken labels', '--actor', 'erin');
  expect(yank.code, yank.err).toBe(0);
}, 120_000);
afterAll(async () => {
  await cleanup.run();
  await fx?.close();
});

/** Runs the real CLI in this process (global flags point at the fixture) and captures its output. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const capture = (append: (text: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture((t) => (out += t)));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture((t) => (err += t)));
  try {
    const code = await main(['node', 'manifest-sync', ...fx.flags, ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** How many of the commands at the end of {@link COMMANDS} are refused (exit 5). */
const REFUSED = 4;

/** Every read-only command, as people and tools call it, answered or refused. */
const COMMANDS: string[][] = [
  ['status'],
  ['status', '--json'],
  ['history', 'gmail'],
  ['history', 'gmail', '--json'],
  ['history', 'slack'],
  ['history', LEGACY.slug, '--json'],
  ['show', 'gmail'],
  ['show', 'gmail', '--json'],
  ['show', 'gmail@1.1.0'],
  ['show', `${LEGACY.slug}@${LEGACY.version}`, '--json'],
  ['show', 'slack', '--at', 'first'],
  ['show', 'gmail', '--at', 'labels', '--json'],
  ['show', 'gmail', '--at', 'HEAD~3'],
  ['audit-log'],
  ['audit-log', 'gmail', '--json'],
  ['diff', 'gmail@1.0.0', 'gmail@2.0.0'],
  ['diff', 'gmail@1.1.0', 'gmail@2.0.0', '--json'],
  // Refusals (the last REFUSED): the same exit code either way.
  ['history', 'nope'],
  ['show', 'gmail@9.9.9'],
  ['show', 'gmail', '--at', 'no-such-tag'],
  ['show', 'gmail', '--at', 'HEAD~99'],
];

describe('read-only commands through a daemon (--daemon URL)', () => {
  it('print what they print reading the database, and exit the same', async () => {
    let daemon: TestDaemon | null = await startTestDaemon(fx.config, cleanup);
    const url = daemon.url;
    await vi.waitFor(
      async () => {
        const response = await fetch(`${url}/readyz`);
        if (response.status !== 200) throw new Error(`readyz ${response.status}`);
      },
      { timeout: 30_000, interval: 50 },
    );
    const through = new Map<string, { code: number; out: string }>();
    for (const command of COMMANDS) {
      const result = await cli(...command, '--daemon', url);
      through.set(command.join(' '), { code: result.code, out: result.out });
    }
    if (fx.testDb.backend === 'embedded') {
      // The daemon holds the store: reading it directly is refused, pointing at --daemon.
      const locked = await cli('status');
      expect(locked.code).toBe(3);
      expect(locked.err).toContain(`--daemon ${url}`);
    }
    await daemon.stop();
    daemon = null;

    for (const command of COMMANDS) {
      const direct = await cli(...command);
      const key = command.join(' ');
      expect(through.get(key), key).toEqual({ code: direct.code, out: direct.out });
    }
    // The comparison compared something: answers and refusals both.
    const codes = COMMANDS.map((command) => through.get(command.join(' '))?.code);
    expect(codes).toEqual([...Array(COMMANDS.length - REFUSED).fill(0), ...Array(REFUSED).fill(5)]);
    expect(through.get('history gmail')?.out).toContain('2.0.0 *');
    expect(through.get('history gmail')?.out).toContain('broken labels');
    expect(through.get('show slack --at first')?.out).toContain('slack at first');
    expect(JSON.parse(through.get('status --json')?.out ?? '{}').cursor).toBe(fx.sha.restoreSlack);
    expect(through.get('history nope')?.code).toBe(5);
    expect(through.get('show gmail --at no-such-tag')?.code).toBe(5);
  }, 180_000);

  it('a daemon that cannot be reached is exit 3, naming it', async () => {
    const result = await cli('status', '--daemon', 'http://127.0.0.1:1');
    expect(result.code).toBe(3);
    expect(result.err).toContain('cannot reach the daemon at http://127.0.0.1:1');
  });
});
