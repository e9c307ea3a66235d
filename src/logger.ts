import pino, { type Logger } from 'pino';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: string;
  /** Human-readable lines instead of JSON. @default whether stderr is a terminal */
  pretty?: boolean;
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
  if (options.pretty ?? process.stderr.isTTY) {
    return pino({
      level,
      redact,
      transport: {
        target: 'pino-pretty',
        options: { destination: 2, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' },
      },
    });
  }
  return pino({ level, redact }, pino.destination({ fd: 2, sync: true }));
}
