import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What a finished CLI process left: its exit code (null when killed), signal and output. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI process: kill it (crash tests) or wait for it. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly result: Promise<CliResult>;
  kill(signal?: NodeJS.Signals): void;
}

/** Options for {@link startCli}. */
export interface CliOptions {
  cwd?: string;
  /** The child's whole environment besides PATH and HOME (DATABASE_URL etc. are not inherited). */
  env?: NodeJS.ProcessEnv;
}

const ENTRY = fileURLToPath(new URL('./cliEntry.ts', import.meta.url));
/** tsx's loader by absolute URL: the child's cwd (a temp repository) has no node_modules. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Spawns `manifest-sync ...args` from source, with only the environment given. */
export function startCli(args: readonly string[], options: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], {
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

/** Runs `manifest-sync ...args` from source to the end. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}
