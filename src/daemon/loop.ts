import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { wallClock } from '../clock.js';
import { type BackoffOptions, computeBackoff } from './backoff.js';

/** What one pass reports; a pass that throws counts as `{ ok: false, error }`. */
export type PassResult = { ok: true } | { ok: false; error: unknown };

/**
 * Why a pass runs: the loop's start, a nudge, the periodic check (`interval` passed with no
 * nudge), or a retry after a failure.
 */
export type PassWake = 'start' | 'nudge' | 'interval' | 'retry';

/** Options for {@link SyncLoop}. */
export interface SyncLoopOptions {
  /** One sync pass. The signal is aborted only by `stop({ force: true })`. */
  pass: (signal: AbortSignal, wake: PassWake) => Promise<PassResult>;
  /** Milliseconds between passes when nothing nudges: the slow periodic check. */
  interval: number;
  logger: Logger;
  /** Waits after failures in a row. @default { initialMs: 500, maxMs: 30_000 } */
  backoff?: BackoffOptions;
  /** Called after every pass, for metrics; an exception here is logged and ignored. */
  onPass?: (result: PassResult, durationMs: number) => void;
  /** Clock for `lastSuccessAt` / `lastErrorAt`. @default wallClock (src/clock.ts) */
  now?: () => Date;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

/** The loop's state, for health and readiness checks. */
export interface SyncLoopStatus {
  running: boolean;
  stopping: boolean;
  inPass: boolean;
  passes: number;
  contiguousErrors: number;
  lastSuccessAt: Date | null;
  lastError: unknown;
  lastErrorAt: Date | null;
}

type Wait = { kind: 'interval' | 'backoff'; wake: () => void };

/**
 * Runs sync passes one at a time, forever: after a success it waits `interval` (or less, if
 * nudged); after a failure it backs off exponentially. `nudge()` during a pass queues exactly
 * one follow-up pass; a nudge never shortens a backoff wait, so a flood of webhooks cannot
 * hammer a failing database.
 */
export class SyncLoop {
  readonly #options: SyncLoopOptions;
  readonly #now: () => Date;
  #runPromise: Promise<void> | null = null;
  #stopping = false;
  #inPass = false;
  #nudged = false;
  #wait: Wait | null = null;
  #passAbort: AbortController | null = null;
  #passes = 0;
  #contiguousErrors = 0;
  #lastSuccessAt: Date | null = null;
  #lastError: unknown = null;
  #lastErrorAt: Date | null = null;

  constructor(options: SyncLoopOptions) {
    this.#options = options;
    this.#now = options.now ?? wallClock;
  }

  /** Starts the loop (the first pass runs at once); a no-op while it is running or stopping. */
  start(): void {
    if (this.#runPromise) return;
    this.#stopping = false;
    this.#runPromise = this.#run().finally(() => {
      this.#runPromise = null;
    });
  }

  /**
   * Stops the loop: cuts the current wait and resolves once the in-flight pass (if any) has
   * ended. `force` also aborts the pass's signal. Safe to call any number of times.
   */
  stop(options: { force?: boolean } = {}): Promise<void> {
    const run = this.#runPromise;
    if (!run) return Promise.resolve();
    this.#stopping = true;
    if (options.force) this.#passAbort?.abort(new Error('sync loop stopped (forced)'));
    this.#wait?.wake();
    return run;
  }

  /** Asks for the next pass now; nudges during a pass coalesce into one follow-up pass. */
  nudge(): void {
    if (!this.#runPromise || this.#stopping) return;
    this.#nudged = true;
    if (this.#wait?.kind === 'interval') this.#wait.wake();
  }

  get running(): boolean {
    return this.#runPromise !== null;
  }
  get inPass(): boolean {
    return this.#inPass;
  }
  /** In a pass, or a nudged pass is about to start: work that can wait should. */
  get busy(): boolean {
    return this.#inPass || (this.#nudged && this.#runPromise !== null && !this.#stopping);
  }
  get passes(): number {
    return this.#passes;
  }
  get contiguousErrors(): number {
    return this.#contiguousErrors;
  }
  get lastSuccessAt(): Date | null {
    return this.#lastSuccessAt;
  }
  get lastError(): unknown {
    return this.#lastError;
  }

  /** All the state at once, as a plain value. */
  status(): SyncLoopStatus {
    return {
      running: this.running,
      stopping: this.#stopping,
      inPass: this.#inPass,
      passes: this.#passes,
      contiguousErrors: this.#contiguousErrors,
      lastSuccessAt: this.#lastSuccessAt,
      lastError: this.#lastError,
      lastErrorAt: this.#lastErrorAt,
    };
  }

  async #run(): Promise<void> {
    const { logger, interval } = this.#options;
    let wake: PassWake = 'start';
    while (!this.#stopping) {
      // A pass that starts after a nudge satisfies it, so nudges are cleared before the pass.
      this.#nudged = false;
      const result = await this.#runPass(wake);
      if (this.#stopping) break;
      if (result.ok) {
        wake = 'nudge';
        if (this.#nudged) continue;
        await this.#sleep(interval, 'interval');
        if (!this.#nudged) wake = 'interval';
      } else {
        wake = 'retry';
        const retryInMs = computeBackoff(
          this.#contiguousErrors,
          this.#options.backoff,
          this.#options.random,
        );
        logger.error(
          { err: result.error, contiguousErrors: this.#contiguousErrors, retryInMs },
          'sync pass failed; backing off',
        );
        await this.#sleep(retryInMs, 'backoff');
      }
    }
    this.#stopping = false;
  }

  async #runPass(wake: PassWake): Promise<PassResult> {
    const controller = new AbortController();
    this.#passAbort = controller;
    this.#inPass = true;
    const started = performance.now();
    let result: PassResult;
    try {
      result = await this.#options.pass(controller.signal, wake);
    } catch (error) {
      result = { ok: false, error };
    } finally {
      this.#inPass = false;
      this.#passAbort = null;
    }
    const durationMs = performance.now() - started;
    this.#passes += 1;
    if (result.ok) {
      this.#contiguousErrors = 0;
      this.#lastSuccessAt = this.#now();
      this.#options.logger.debug({ durationMs }, 'sync pass succeeded');
    } else {
      this.#contiguousErrors += 1;
      this.#lastError = result.error;
      this.#lastErrorAt = this.#now();
    }
    try {
      this.#options.onPass?.(result, durationMs);
    } catch (err) {
      this.#options.logger.warn({ err }, 'onPass callback threw; ignored');
    }
    return result;
  }

  #sleep(ms: number, kind: Wait['kind']): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wait = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wait = { kind, wake };
    });
  }
}
