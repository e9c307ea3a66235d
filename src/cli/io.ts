import { AsyncLocalStorage } from 'node:async_hooks';

/** Somewhere a CLI run writes text: a process stream, or a buffer in a test. */
export interface Writer {
  write(text: string): unknown;
  /** A terminal gets progress and pretty logs; anything else gets plain lines. */
  readonly isTTY?: boolean;
}

/**
 * What a CLI run reads from and writes to besides its arguments. `main(argv, io)` takes it, so a
 * test runs the CLI in its own process with buffers; the binary passes {@link processIo}.
 */
export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Read by the config (DATABASE_URL, MANIFEST_SYNC_*), never by commands directly. */
  readonly env: NodeJS.ProcessEnv;
  /** Relative paths (`--repo`, `validate PATH`) resolve against it. */
  readonly cwd: string;
}

/** The running process's streams, environment and working directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

const scope = new AsyncLocalStorage<CliIo>();

/** Runs `fn` with `io` as the CLI's io: what {@link cliIo} returns in everything `fn` calls. */
export function withCliIo<T>(io: CliIo, fn: () => T): T {
  return scope.run(io, fn);
}

/**
 * The io of the CLI run this call belongs to (the process's outside one). Commands print through
 * `output.ts`, which asks here, so that concurrent in-process runs never share an output.
 */
export function cliIo(): CliIo {
  return scope.getStore() ?? processIo();
}
