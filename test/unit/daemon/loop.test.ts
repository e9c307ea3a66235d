import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type PassResult,
  type PassWake,
  SyncLoop,
  type SyncLoopOptions,
} from '../../../src/daemon/loop.js';

const logger = pino({ level: 'silent' });
const HOUR = 3_600_000;

/** Settles whatever passes a test left hanging, so afterEach can stop its loop. */
const live: (() => void)[] = [];

/** A pass whose every run waits until the test settles it; records overlap and signals. */
function controlledPass() {
  const pending: { settle: (o: PassResult) => void; fail: (e: unknown) => void }[] = [];
  const signals: AbortSignal[] = [];
  const wakes: PassWake[] = [];
  let active = 0;
  let maxActive = 0;
  let started = 0;
  const pass = (signal: AbortSignal, wake: PassWake) => {
    wakes.push(wake);
    started += 1;
    active += 1;
    maxActive = Math.max(maxActive, active);
    signals.push(signal);
    return new Promise<PassResult>((resolve, reject) => {
      pending.push({
        settle: (o) => {
          active -= 1;
          resolve(o);
        },
        fail: (e) => {
          active -= 1;
          reject(e);
        },
      });
    });
  };
  const next = () => {
    const p = pending.shift();
    if (!p) throw new Error('no pass is waiting');
    return p;
  };
  const drain = () => {
    for (const p of pending.splice(0)) p.settle({ ok: true });
  };
  live.push(drain);
  return {
    pass,
    signals,
    wakes,
    get started() {
      return started;
    },
    get maxActive() {
      return maxActive;
    },
    succeed: () => next().settle({ ok: true }),
    failWith: (error: unknown) => next().settle({ ok: false, error }),
    throwWith: (error: unknown) => next().fail(error),
  };
}

/** Lets timers due by now fire and pending promise callbacks run. */
const flush = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

function makeLoop(p: ReturnType<typeof controlledPass>, extra: Partial<SyncLoopOptions> = {}) {
  return new SyncLoop({ pass: p.pass, interval: HOUR, logger, random: () => 0.5, ...extra });
}

describe('SyncLoop', () => {
  let loop: SyncLoop | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    const stopping = loop?.stop({ force: true });
    for (const drain of live.splice(0)) drain();
    await flush();
    await stopping;
    expect(loop?.running ?? false).toBe(false);
    loop = undefined;
    vi.useRealTimers();
  });

  it('runs the first pass at once, then waits the interval', async () => {
    const p = controlledPass();
    loop = makeLoop(p, { interval: 1_000 });
    loop.start();
    await flush();
    expect(p.started).toBe(1);
    p.succeed();
    await flush(999);
    expect(p.started).toBe(1);
    await flush(1);
    expect(p.started).toBe(2);
    expect(loop.passes).toBe(1);
  });

  it('tells each pass why it runs: start, interval, nudge (during a pass or a wait), retry', async () => {
    const p = controlledPass();
    loop = makeLoop(p, { interval: 1_000 });
    loop.start();
    await flush();
    p.succeed();
    await flush(1_000);
    loop.nudge();
    p.succeed();
    await flush();
    p.succeed();
    await flush(10);
    loop.nudge();
    await flush();
    p.failWith(new Error('down'));
    await flush(60_000);
    expect(p.wakes).toEqual(['start', 'interval', 'nudge', 'nudge', 'retry']);
  });

  it('coalesces nudges during a pass into exactly one follow-up pass, never two at once', async () => {
    const p = controlledPass();
    loop = makeLoop(p);
    loop.start();
    loop.start();
    await flush();
    expect(p.started).toBe(1);
    for (let i = 0; i < 10; i++) loop.nudge();
    p.succeed();
    await flush();
    expect(p.started).toBe(2);
    p.succeed();
    await flush(60_000);
    expect(p.started).toBe(2);
    expect(p.maxActive).toBe(1);
  });

  it('cuts the interval wait when nudged', async () => {
    const p = controlledPass();
    loop = makeLoop(p);
    loop.start();
    await flush();
    p.succeed();
    await flush(10);
    expect(p.started).toBe(1);
    loop.nudge();
    loop.nudge();
    await flush();
    expect(p.started).toBe(2);
    expect(loop.inPass).toBe(true);
  });

  it('backs off exponentially on failure, caps, and resets after a success', async () => {
    const p = controlledPass();
    const outcomes: boolean[] = [];
    // random 0.5 => three quarters of the capped wait: 75, 150, 300, 300, ...
    loop = makeLoop(p, {
      backoff: { initialMs: 100, maxMs: 400 },
      onPass: (outcome) => outcomes.push(outcome.ok),
    });
    loop.start();
    await flush();
    for (const [failures, wait] of [
      [1, 75],
      [2, 150],
      [3, 300],
      [4, 300],
    ] as const) {
      p.failWith(new Error(`boom ${failures}`));
      await flush(wait - 1);
      expect(loop.contiguousErrors).toBe(failures);
      expect(p.started).toBe(failures);
      await flush(1);
      expect(p.started).toBe(failures + 1);
    }
    p.succeed();
    await flush();
    expect(loop.contiguousErrors).toBe(0);
    expect(loop.lastSuccessAt).toBeInstanceOf(Date);
    loop.nudge();
    await flush();
    p.failWith(new Error('again'));
    await flush(74);
    expect(p.started).toBe(6);
    await flush(1);
    expect(p.started).toBe(7);
    expect(outcomes).toEqual([false, false, false, false, true, false]);
  });

  it('treats a thrown pass as a failure and records it', async () => {
    const p = controlledPass();
    const seen: PassResult[] = [];
    loop = makeLoop(p, { onPass: (o) => seen.push(o) });
    loop.start();
    await flush();
    const error = new Error('database unreachable');
    p.throwWith(error);
    await flush();
    expect(loop.lastError).toBe(error);
    expect(loop.contiguousErrors).toBe(1);
    expect(loop.status()).toMatchObject({ running: true, passes: 1, lastSuccessAt: null });
    expect(seen).toEqual([{ ok: false, error }]);
  });

  it('does not let a nudge shorten a backoff wait', async () => {
    const p = controlledPass();
    loop = makeLoop(p, { backoff: { initialMs: 1_000 } });
    loop.start();
    await flush();
    p.failWith('x');
    await flush();
    loop.nudge();
    await flush(700);
    expect(p.started).toBe(1);
    await flush(100);
    expect(p.started).toBe(2);
    p.succeed();
    await flush();
    // The nudge was spent on the pass that ended the backoff, not saved for another.
    expect(p.started).toBe(2);
  });

  it('keeps going when onPass throws', async () => {
    const p = controlledPass();
    loop = makeLoop(p, {
      onPass: () => {
        throw new Error('metrics broke');
      },
    });
    loop.start();
    await flush();
    p.succeed();
    await flush();
    loop.nudge();
    await flush();
    expect(p.started).toBe(2);
  });

  it('stop() waits for the in-flight pass, is idempotent, and runs no further pass', async () => {
    const p = controlledPass();
    loop = makeLoop(p);
    loop.start();
    await flush();
    let stopped = 0;
    const first = loop.stop().then(() => stopped++);
    const second = loop.stop().then(() => stopped++);
    loop.nudge();
    await flush(HOUR);
    expect(stopped).toBe(0);
    expect(loop.running).toBe(true);
    expect(p.signals[0]?.aborted).toBe(false);
    p.succeed();
    await flush();
    await Promise.all([first, second]);
    expect(stopped).toBe(2);
    expect(loop.running).toBe(false);
    expect(p.started).toBe(1);
    await loop.stop();
    await flush(HOUR);
    expect(p.started).toBe(1);
  });

  it('stop() during the interval wait resolves without another pass', async () => {
    const p = controlledPass();
    loop = makeLoop(p);
    loop.start();
    await flush();
    p.succeed();
    await flush();
    const stopping = loop.stop();
    await flush();
    await stopping;
    expect(loop.running).toBe(false);
    expect(p.started).toBe(1);
  });

  it('stop({ force: true }) aborts the pass signal but still waits for the pass', async () => {
    const p = controlledPass();
    loop = makeLoop(p);
    loop.start();
    await flush();
    let done = false;
    const graceful = loop.stop();
    const forced = loop.stop({ force: true }).then(() => {
      done = true;
    });
    expect(p.signals[0]?.aborted).toBe(true);
    await flush();
    expect(done).toBe(false);
    p.failWith(p.signals[0]?.reason);
    await flush();
    await Promise.all([graceful, forced]);
    expect(done).toBe(true);
  });

  it('can be started again after it stopped', async () => {
    const p = controlledPass();
    loop = makeLoop(p);
    loop.start();
    await flush();
    p.succeed();
    const stopping = loop.stop();
    await flush();
    await stopping;
    loop.start();
    await flush();
    expect(p.started).toBe(2);
    expect(loop.running).toBe(true);
  });
});
