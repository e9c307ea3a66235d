import { AsyncLocalStorage } from 'node:async_hooks';
import type { DestinationStream } from 'pino';

/** Where log lines go: stderr's file descriptor by default, an injected writer in the CLI's tests. */
export interface LogDestination extends DestinationStream {
  readonly isTTY?: boolean;
}

const scope = new AsyncLocalStorage<LogDestination>();

/**
 * Runs `fn` with loggers it creates writing to `destination` (the CLI's injected stderr). Apart
 * from `logger.ts` so that the CLI sets it without loading pino: a command that logs nothing
 * (`--version`, `status`) never loads it (~50 ms).
 */
export function withLogDestination<T>(destination: LogDestination, fn: () => T): T {
  return scope.run(destination, fn);
}

/** The destination set by the surrounding {@link withLogDestination}, if any. */
export function currentLogDestination(): LogDestination | undefined {
  return scope.getStore();
}
