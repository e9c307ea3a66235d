import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The daemon's Prometheus registry and a typed handle on each metric in it. */
export interface SyncMetrics {
  readonly registry: Registry;
  /** `manifest_sync_passes_total{outcome="success"|"failure"}` */
  readonly passes: Counter<'outcome'>;
  /** `manifest_sync_pass_failures_total`: failed passes, for a plain `increase() > 0` alert. */
  readonly passFailures: Counter;
  /** `manifest_sync_last_failure_timestamp_seconds`: when the last pass failed (0: never). */
  readonly lastFailure: Gauge;
  /** `manifest_sync_pass_duration_seconds` */
  readonly passDuration: Histogram;
  /** `manifest_sync_versions_created_total` */
  readonly versionsCreated: Counter;
  /** `manifest_sync_manifests_refused_total` */
  readonly manifestsRefused: Counter;
  /** `manifest_sync_commits_behind`: commits on the branch not yet applied (NaN while unknown). */
  readonly commitsBehind: Gauge;
  /** `manifest_sync_oldest_unapplied_commit_age_seconds`: how long the oldest of them has waited. */
  readonly oldestUnappliedAge: Gauge;
  /** `manifest_sync_last_success_timestamp_seconds` */
  readonly lastSuccess: Gauge;
  /** `manifest_sync_lock_held`: 1 while this replica is the leader (holds the lock and applies). */
  readonly leader: Gauge;
  /** `manifest_sync_resyncs_total{trigger}`; the trigger is free-form (e.g. `history-rewrite`). */
  readonly resyncs: Counter<'trigger'>;
  /** `manifest_sync_suspended`: 1 while syncing is suspended. */
  readonly suspended: Gauge;
  /** Records one pass: its outcome, its duration and, on success, its end time. */
  observePass(ok: boolean, durationMs: number, at: Date): void;
  /**
   * Records the lag: commits behind (NaN while unknown) and when the oldest of them was first seen
   * (epoch ms; null when none waits, undefined while unknown). The age is computed at each scrape.
   */
  observeLag(lag: { behind: number; oldestSeenAt: number | null | undefined }): void;
}

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Also collect Node's process metrics (CPU, memory, event loop, GC). @default true */
  defaultMetrics?: boolean;
  /** @default Date.now */
  now?: () => number;
}

/**
 * How often Node's event-loop delay monitor samples, in ms. prom-client's default, 10 ms, wakes an
 * idle daemon 100 times a second (most of its idle CPU); a 1 s histogram resolution still catches
 * every stall longer than a second and the percentiles of shorter ones that a sample lands in.
 */
export const EVENT_LOOP_RESOLUTION_MS = 1_000;

/** Creates a fresh registry (never prom-client's global one) holding the daemon's metrics. */
export function createMetrics(options: MetricsOptions = {}): SyncMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({
      register: registry,
      eventLoopMonitoringPrecision: EVENT_LOOP_RESOLUTION_MS,
    });
  const now = options.now ?? Date.now;
  const registers = [registry];

  const passes = new Counter({
    name: 'manifest_sync_passes_total',
    help: 'Sync passes run, by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  // Initialised so both series exist (at 0) before the first pass; rate() needs them.
  passes.inc({ outcome: 'success' }, 0);
  passes.inc({ outcome: 'failure' }, 0);
  const passDuration = new Histogram({
    name: 'manifest_sync_pass_duration_seconds',
    help: 'Wall time of one sync pass.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const passFailures = new Counter({
    name: 'manifest_sync_pass_failures_total',
    help: 'Sync passes that failed (database, git or resources unavailable); each is retried with backoff.',
    registers,
  });
  const lastFailure = new Gauge({
    name: 'manifest_sync_last_failure_timestamp_seconds',
    help: 'Unix time at which the last sync pass failed; 0 if none has.',
    registers,
  });
  // Unknown until the first look at the branch: NaN, not a reassuring 0.
  let oldestSeenAt: number | null | undefined;
  const commitsBehind = new Gauge({
    name: 'manifest_sync_commits_behind',
    help: 'Commits on the tracked branch not yet applied to the database (NaN while unknown).',
    registers,
  });
  commitsBehind.set(Number.NaN);
  const oldestUnappliedAge = new Gauge({
    name: 'manifest_sync_oldest_unapplied_commit_age_seconds',
    help: 'Seconds since this process first saw the oldest commit on the tracked branch not yet applied; 0 when none waits, NaN while unknown.',
    registers,
    collect() {
      this.set(
        oldestSeenAt === undefined
          ? Number.NaN
          : oldestSeenAt === null
            ? 0
            : Math.max(0, now() - oldestSeenAt) / 1000,
      );
    },
  });
  const lastSuccess = new Gauge({
    name: 'manifest_sync_last_success_timestamp_seconds',
    help: 'Unix time at which the last successful sync pass ended.',
    registers,
  });

  return {
    registry,
    passes,
    passDuration,
    passFailures,
    lastFailure,
    lastSuccess,
    versionsCreated: new Counter({
      name: 'manifest_sync_versions_created_total',
      help: 'Connector version rows written.',
      registers,
    }),
    manifestsRefused: new Counter({
      name: 'manifest_sync_manifests_refused_total',
      help: 'Manifests skipped because they failed to parse or validate.',
      registers,
    }),
    commitsBehind,
    oldestUnappliedAge,
    leader: new Gauge({
      name: 'manifest_sync_lock_held',
      help: '1 while this replica is the leader (holds the sync lock and applies), else 0.',
      registers,
    }),
    resyncs: new Counter({
      name: 'manifest_sync_resyncs_total',
      help: 'Full resyncs started, by trigger.',
      labelNames: ['trigger'] as const,
      registers,
    }),
    suspended: new Gauge({
      name: 'manifest_sync_suspended',
      help: '1 while syncing is suspended, else 0.',
      registers,
    }),
    observePass(ok, durationMs, at) {
      passes.inc({ outcome: ok ? 'success' : 'failure' });
      passDuration.observe(durationMs / 1000);
      if (ok) lastSuccess.set(at.getTime() / 1000);
      else {
        passFailures.inc();
        lastFailure.set(at.getTime() / 1000);
      }
    },
    observeLag(lag) {
      commitsBehind.set(lag.behind);
      oldestSeenAt = lag.oldestSeenAt;
    },
  };
}
