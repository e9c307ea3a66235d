import pino, { type Logger } from 'pino';
import { currentLogDestination, type LogDestination } from './logDestination.js';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: string;
  /** Human-readable lines instead of JSON. @default whether the destination is a terminal */
  pretty?: boolean;
  /** @default the surrounding `withLogDestination`'s (see logDestination.ts), else stderr */
  destination?: LogDestination;
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
  const destination = options.destination ?? currentLogDestination();
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
