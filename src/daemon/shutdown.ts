import type { Logger } from 'pino';

/** Where signals come from; `process` in production, any emitter in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** Options for {@link installSignalHandlers}. */
export interface SignalHandlerOptions {
  /** Drains: stop the loop after its pass, close the server and the database. */
  onGraceful: () => Promise<void>;
  /** Gives up waiting, typically `process.exit(1)`; called at most once. */
  onForce: () => void;
  /** Time the graceful stop gets before `onForce` is called anyway. @default 10_000 */
  deadlineMs?: number;
  logger: Logger;
  /** @default ['SIGTERM', 'SIGINT'] */
  signals?: readonly NodeJS.Signals[];
  /** @default process */
  source?: SignalSource;
}

/**
 * First SIGTERM/SIGINT starts `onGraceful`; a second signal, the deadline passing, or
 * `onGraceful` rejecting calls `onForce` (once). Exiting is left to the two callbacks. Returns a
 * function that removes the handlers and cancels the deadline.
 */
export function installSignalHandlers(options: SignalHandlerOptions): () => void {
  const { logger, onGraceful } = options;
  const deadlineMs = options.deadlineMs ?? 10_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const source: SignalSource = options.source ?? process;
  let stopping = false;
  let forced = false;
  let deadline: NodeJS.Timeout | undefined;

  const force = (why: string) => {
    if (forced) return;
    forced = true;
    clearTimeout(deadline);
    logger.error({ why }, 'forcing shutdown');
    options.onForce();
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      force(`second ${signal}`);
      return;
    }
    stopping = true;
    logger.info({ signal, deadlineMs }, `received ${signal}; stopping gracefully (again to force)`);
    deadline = setTimeout(() => force(`graceful stop exceeded ${deadlineMs} ms`), deadlineMs);
    // The deadline must not be what keeps a process alive that has otherwise finished.
    deadline.unref();
    new Promise<void>((resolve) => resolve(onGraceful())).then(
      () => {
        clearTimeout(deadline);
        if (!forced) logger.info('graceful stop complete');
      },
      (err: unknown) => {
        logger.error({ err }, 'graceful stop failed');
        force('graceful stop failed');
      },
    );
  };

  for (const signal of signals) source.on(signal, onSignal);
  return () => {
    clearTimeout(deadline);
    for (const signal of signals) source.off(signal, onSignal);
  };
}
