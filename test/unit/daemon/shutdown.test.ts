import { EventEmitter } from 'node:events';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installSignalHandlers } from '../../../src/daemon/shutdown.js';

const logger = pino({ level: 'silent' });

function setup(graceful: () => Promise<void> = () => new Promise(() => {})) {
  const source = new EventEmitter();
  const calls: string[] = [];
  const uninstall = installSignalHandlers({
    source,
    logger,
    deadlineMs: 1_000,
    onGraceful: () => {
      calls.push('graceful');
      return graceful();
    },
    onForce: () => calls.push('force'),
  });
  return { source, calls, uninstall };
}

describe('installSignalHandlers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts a graceful stop on the first signal and forces on the second', async () => {
    const { source, calls } = setup();
    source.emit('SIGTERM', 'SIGTERM');
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual(['graceful']);
    source.emit('SIGINT', 'SIGINT');
    source.emit('SIGINT', 'SIGINT');
    expect(calls).toEqual(['graceful', 'force']);
  });

  it('forces when the graceful stop overruns the deadline', async () => {
    const { source, calls } = setup();
    source.emit('SIGINT', 'SIGINT');
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual(['graceful']);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['graceful', 'force']);
  });

  it('does not force after a graceful stop that finished in time', async () => {
    const { source, calls } = setup(() => Promise.resolve());
    source.emit('SIGTERM', 'SIGTERM');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toEqual(['graceful']);
  });

  it('forces when the graceful stop fails', async () => {
    const { source, calls } = setup(() => Promise.reject(new Error('pool wedged')));
    source.emit('SIGTERM', 'SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['graceful', 'force']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toEqual(['graceful', 'force']);
  });

  it('uninstalls its listeners and its deadline', async () => {
    const { source, calls, uninstall } = setup();
    expect(source.listenerCount('SIGTERM')).toBe(1);
    source.emit('SIGTERM', 'SIGTERM');
    uninstall();
    expect(source.listenerCount('SIGTERM')).toBe(0);
    expect(source.listenerCount('SIGINT')).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toEqual(['graceful']);
  });
});
