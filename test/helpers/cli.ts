import { type ChildProcess, spawn } from 'node:child_process';
import { main } from '../../src/cli/main.js';
import { CLI_BIN } from './builtCli.js';

/** What a finished CLI left: its exit code (null when killed), signal and output. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options for {@link runCli} and {@link startCliProcess}. */
export interface CliOptions {
  cwd?: string;
  /** The CLI's whole environment besides PATH and HOME (DATABASE_URL etc. are not inherited). */
  env?: NodeJS.ProcessEnv;
}

/** A buffer that stands in for stdout or stderr. */
function buffer(): { text: string; write(chunk: string): boolean } {
  return {
    text: '',
    write(chunk) {
      this.text += chunk;
      return true;
    },
  };
}

/**
 * Runs `manifest-sync ...args` in this process through `main(argv, io)`: the same commands,
 * config, exit codes and output as the binary, without the second or two a spawned one costs.
 */
export async function runCli(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const stdout = buffer();
  const stderr = buffer();
  const code = await main(['node', 'manifest-sync', ...args], {
    stdout,
    stderr,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
}

/** A running CLI process: kill it (crash tests) or wait for it. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly result: Promise<CliResult>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Spawns `manifest-sync ...args` as a process of its own, with only the environment given: for
 * what needs a process (kill -9, signals, descriptor limits, several processes at once). It runs
 * the built binary, bin/manifest-sync.js over dist/, which globalSetup rebuilds when it is behind
 * src/ (test/helpers/builtCli.ts): a child compiling the sources through tsx cost ~1.7 s more CPU.
 */
export function startCliProcess(args: readonly string[], options: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    result,
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
  };
}

/** Runs `manifest-sync ...args` as a process of its own to the end. */
export function runCliProcess(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  return startCliProcess(args, options).result;
}
