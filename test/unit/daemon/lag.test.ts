import { describe, expect, it } from 'vitest';
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
    lag.caughtUp('c');
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
});
