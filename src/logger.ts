import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Where log lines go: stderr's file descriptor by default, an injected writer in the CLI's tests. */
export interface LogDestination extends DestinationStream {
  readonly isTTY?: boolean;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: string;
  /** Human-readable lines instead of JSON. @default whether the destination is a terminal */
  pretty?: boolean;
  /** @default the surrounding {@link withLogDestination}'s, else stderr */
  destination?: LogDestination;
}

const scope = new AsyncLocalStorage<LogDestination>();

/** Runs `fn` with loggers it creates writing to `destination` (the CLI's injected stderr). */
export function withLogDestination<T>(destination: LogDestination, fn: () => T): T {
  return scope.run(destination, fn);
}

/**
 * Structured JSON logs on stderr (stdout carries command output), human-readable on a terminal.
 * pino rather than hand-rolled logging: fast, JSON by default, and redaction of secrets.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const redact = {
    paths: ['databaseUrl', '*.databaseUrl', 'secret', '*.secret', 'token', '*.token'],
    censor: '***',
  };
  const destination = options.destination ?? scope.getStore();
  // Only the process's own stderr is a file descriptor the pretty transport can write to.
  const toStderr = destination === undefined || destination === process.stderr;
  if (toStderr && (options.pretty ?? process.stderr.isTTY)) {
    return pino({
      level,
      redact,
      transport: {
        target: 'pino-pretty',
        options: { destination: 2, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' },
      },
    });
  }
  if (toStderr) return pino({ level, redact }, pino.destination({ fd: 2, sync: true }));
  return pino({ level, redact }, destination);
}
