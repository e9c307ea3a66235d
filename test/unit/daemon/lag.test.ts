import { afterEach, describe, expect, it, vi } from 'vitest';
import { LagTracker } from '../../../src/daemon/lag.js';
import { createMetrics } from '../../../src/daemon/metrics.js';

function tracker(
  read: () => Promise<{ commits: string[] | null }> = async () => ({ commits: [] }),
) {
  let now = 1_000;
  const metrics = createMetrics({ defaultMetrics: false, now: () => now });
  const lag = new LagTracker({ read, sink: (value) => metrics.observeLag(value), now: () => now });
  const gauge = async (name: string) => {
    const text = await metrics.registry.getSingleMetricAsString(name);
    return Number(text.trim().split('\n').at(-1)?.split(' ').at(-1));
  };
  return {
    lag,
    gauge,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

const BEHIND = 'manifest_sync_commits_behind';
const AGE = 'manifest_sync_oldest_unapplied_commit_age_seconds';

describe('LagTracker', () => {
  it('is unknown (NaN) until it has looked', async () => {
    const { gauge } = tracker();
    expect(await gauge(BEHIND)).toBeNaN();
    expect(await gauge(AGE)).toBeNaN();
  });

  it('counts what the ref moving brought, ages the oldest from when it was first seen, shrinks as the cursor moves', async () => {
    const { lag, gauge, tick } = tracker();
    lag.observe(['a']);
    tick(2_000);
    lag.observe(['a', 'b', 'c']); // the ref moved again: a keeps its first-seen time
    expect(await gauge(BEHIND)).toBe(3);
    expect(await gauge(AGE)).toBe(2);
    tick(1_000);
    lag.applied('a');
    expect(await gauge(BEHIND)).toBe(2);
    expect(await gauge(AGE)).toBe(1); // b was first seen 1 s ago
    lag.applied('not-listed'); // a cursor that moved elsewhere changes nothing known
    expect(await gauge(BEHIND)).toBe(2);
    lag.caughtUp('c', lag.moves);
    expect(await gauge(BEHIND)).toBe(0);
    expect(await gauge(AGE)).toBe(0);
    lag.observe(null); // the cursor is off the branch
    expect(await gauge(BEHIND)).toBeNaN();
    expect(await gauge(AGE)).toBeNaN();
  });

  it('drops commits applied after the list was read', () => {
    const { lag } = tracker();
    lag.observe(['a', 'b', 'c']);
    lag.applied('b');
    lag.observe(['a', 'b', 'c', 'd']); // read from a cursor before b
    expect(lag.behind).toBe(2);
  });

  it('coalesces refreshes asked for during one into one more, and keeps the figure when a read fails', async () => {
    const lists = [['a'], ['a', 'b']];
    let reads = 0;
    let release = () => {};
    const { lag } = tracker(async () => {
      reads++;
      if (reads === 1)
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      if (reads === 3) throw new Error('git died');
      return { commits: lists[reads - 1] ?? null };
    });
    const first = lag.refresh();
    void lag.refresh();
    void lag.refresh();
    release();
    await first;
    expect(reads).toBe(2);
    expect(lag.behind).toBe(2);
    await lag.refresh();
    expect(reads).toBe(3);
    expect(lag.behind).toBe(2);
  });

  describe('when the ref moves', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('asks git after the grace period when no pass has answered', async () => {
      vi.useFakeTimers();
      let reads = 0;
      const { lag } = tracker(async () => {
        reads++;
        return { commits: ['a', 'b'] };
      });
      lag.moved();
      lag.moved(); // a second move within the grace period: still one read
      await vi.advanceTimersByTimeAsync(999);
      expect(reads).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(reads).toBe(1);
      expect(lag.behind).toBe(2);
    });

    it('asks nothing when a pass that started after the move reached the head', async () => {
      vi.useFakeTimers();
      let reads = 0;
      const { lag } = tracker(async () => {
        reads++;
        return { commits: ['x'] };
      });
      lag.moved();
      const moves = lag.moves; // the nudged pass starts
      lag.caughtUp('a', moves);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(reads).toBe(0);
      expect(lag.behind).toBe(0);
    });

    it('still asks when the pass that reached its head started before the move', async () => {
      vi.useFakeTimers();
      let reads = 0;
      const { lag } = tracker(async () => {
        reads++;
        return { commits: ['b'] };
      });
      const moves = lag.moves; // a pass starts, then the ref moves under it
      lag.moved();
      lag.caughtUp('a', moves);
      expect(lag.behind).toBe(0);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(reads).toBe(1);
      expect(lag.behind).toBe(1);
    });
  });
});
