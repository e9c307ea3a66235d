import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import tab from '@bomb.sh/tab/commander';
import { Command, Option } from 'commander';
import type { Config, GlobalFlags } from '../config.js';
import { prepareDatabase } from '../db/prepare.js';
import { errorCodeOf, isCommanderError } from '../errors.js';
import { boundHeapHeadroom } from '../heapHeadroom.js';
import { withLogDestination } from '../logDestination.js';
import type { Body } from './body.js';
import { ExitCode, exitCodeFor } from './exitCodes.js';
import { type CliIo, cliIo, processIo, withCliIo } from './io.js';
import { defineOperatorCommands } from './operatorCommands.js';

/** Commands that open the database (unless `--daemon URL` reads through a daemon instead). */
const OPENS_STORE = new Set([
  'migrate',
  'history',
  'show',
  'sync',
  'resync',
  'rebind',
  'suspend',
  'resume',
  'rollback',
  'pin',
  'unpin',
  'yank',
  'unyank',
  'audit-log',
  'status',
  'daemon',
]);

/** The package's version, from package.json (two levels up from src/cli and dist/cli alike). */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/**
 * Builds the CLI. Command bodies are imported only when their command runs, so a call that
 * does nothing (`--help`, `--version`) loads neither the database nor the validator.
 */
export function buildProgram(
  setExitCode: (code: number) => void,
  options: { json?: boolean } = {},
): Command {
  const program = new Command('manifest-sync')
    .description(
      "Keep a connector registry's database in step with the git repository of its manifests.",
    )
    .version(packageVersion(), '-v, --version', 'print the version')
    // Each command's --help lists the global options too, so nobody has to look in two places.
    .configureHelp({ showGlobalOptions: true })
    .option('--repo <path>', 'the git repository', '.')
    .option(
      '--branch <name>',
      'the tracked branch (default: the recorded one; on the first sync, the checked-out branch)',
    )
    .option(
      '--path <dir>',
      'the manifest directory, relative to the repository root (default: the recorded one, else manifests)',
    )
    .option(
      '--database-url <url>',
      'PostgreSQL URL (default: $DATABASE_URL, else the embedded database)',
    )
    .option(
      '--data-dir <dir>',
      'where the embedded database lives (default: <repo>/.manifest-sync)',
    )
    .addOption(
      new Option('--version-policy <policy>', "how an author's too-low version is treated").choices(
        ['auto', 'strict'],
      ),
    )
    .option(
      '--repository-id <id>',
      "the repository's name in the cursor (default: its root commit)",
    )
    .option('--log-level <level>', 'trace, debug, info, warn, error', undefined)
    .option('--json', 'print JSON for tools')
    .showHelpAfterError(!options.json)
    .exitOverride();
  const io = cliIo();
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    // With --json, usage errors are printed once, as JSON, by main(); commander stays quiet.
    ...(options.json ? { outputError: () => {} } : {}),
  });

  program
    .command('version')
    .description('print the version')
    .action(() => {
      io.stdout.write(`${packageVersion()}\n`);
    });

  const define = <O>(command: Command, load: () => Promise<Body<O>>) =>
    command.action(async (...params: unknown[]) => {
      const self = params.at(-1) as Command;
      // A command runs the embedded store's PostgreSQL (WebAssembly) for seconds: V8's optimizing
      // tier would spend more CPU compiling its hot functions, beside the command on the same
      // cores, than the faster code saves before the command ends (`status`: ~1.5 s of its ~3.5 s
      // of CPU). The daemon runs for days and keeps it. Set here, before anything is compiled.
      if (self.name() !== 'daemon') setFlagsFromString('--liftoff-only');
      // A large registry's sync: the heap's headroom, not what it holds, made most of the RSS.
      const stopBounding = OPENS_STORE.has(self.name()) ? boundHeapHeadroom() : undefined;
      try {
        const { loadConfig } = await import('../config.js');
        const { env, cwd } = cliIo();
        const config = loadConfig(self.optsWithGlobals() as GlobalFlags, env, cwd);
        // The database's driver loads (PGlite's PostgreSQL compiles on V8's background threads)
        // while the command's body does.
        if (OPENS_STORE.has(self.name()) && !self.opts().daemon)
          prepareDatabase(config.databaseUrl);
        const body = await load();
        setExitCode(await body(config, self.opts() as O, self.args));
      } finally {
        stopBounding?.();
      }
    });

  define(
    program
      .command('migrate')
      .description('create or upgrade the database schema (safe to run twice)'),
    async () => (await import('./commands/migrate.js')).migrateCommand,
  );
  define(
    program
      .command('validate')
      .description('check manifests in the working tree; every problem at once')
      .argument('[paths...]', 'files or directories (default: the manifest directory)')
      .option('--watch', 're-validate as files are saved'),
    async () => (await import('./commands/validate.js')).validateCommand,
  );
  define(
    program
      .command('diff')
      .description(
        'classify the changes between two manifests (OLD.json NEW.json, or SLUG@A SLUG@B) and the bump',
      )
      .argument('<old>')
      .argument('<new>')
      .option(
        '--daemon <url>',
        'read stored versions through this running daemon (needed when it holds the embedded database)',
      ),
    async () => (await import('./commands/diff.js')).diffCommand,
  );
  define(
    program
      .command('check')
      .description(
        'what merging a change would do: each changed connector, its bump, version and refusals (git only, writes nothing)',
      )
      .requiredOption(
        '--base <rev>',
        'the revision the change is merged into (e.g. HEAD^1, origin/main)',
      )
      .option('--head <rev>', 'the change (default: HEAD)')
      .option(
        '--per-commit',
        'plan each commit in turn, as sync applies a merge (default: squashed)',
      )
      .addOption(
        new Option(
          '--format <format>',
          'output: text, json, github (annotations), markdown',
        ).choices(['text', 'json', 'github', 'markdown']),
      )
      .addOption(
        new Option(
          '--fail-on <bump>',
          `exit ${ExitCode.checkGate} when a connector bumps this far`,
        ).choices(['major', 'minor']),
      ),
    async () => (await import('./commands/check.js')).checkCommand,
  );
  define(
    program
      .command('history')
      .description(
        'every version of a connector, newest first: commit, author, date, bump and reasons',
      )
      .argument('<slug>')
      .option(
        '--daemon <url>',
        'read through this running daemon (needed when it holds the embedded database)',
      ),
    async () => (await import('./commands/history.js')).historyCommand,
  );
  define(
    program
      .command('show')
      .description("one version's manifest and provenance (default: the latest)")
      .argument('<slug[@version]>')
      .option('--at <rev>', 'a commit sha, branch or tag: the version live at that revision')
      .option(
        '--daemon <url>',
        'read through this running daemon (needed when it holds the embedded database)',
      ),
    async () => (await import('./commands/show.js')).showCommand,
  );
  define(
    program
      .command('sync')
      .description('apply every commit after the cursor to the database, one transaction each')
      .option('--dry-run', 'print the plan, write nothing')
      .option(
        '--since <rev>',
        'replay the commits after this revision instead of after the cursor',
      ),
    async () => (await import('./commands/sync.js')).syncCommand,
  );
  define(
    program
      .command('resync')
      .description(
        "plan the head's snapshot against the database and apply it, regardless of the cursor",
      )
      .option('--dry-run', 'print the plan, write nothing')
      .option(
        '--force',
        "also when the database's last revision is not in this repository (history rewritten)",
      )
      .option(
        '--daemon <url>',
        'ask this running daemon to do it (works with its embedded database too)',
      )
      .option(
        '--admin-token <token>',
        "the daemon's admin token (default: $MANIFEST_SYNC_ADMIN_TOKEN)",
      )
      .option('--reason <text>', 'why, for the audit trail')
      .option('--actor <name>', 'who, for the audit trail (default: the OS user)'),
    async () => {
      const [{ resyncCommand }, { remoteResync }] = await Promise.all([
        import('./commands/sync.js'),
        import('./commands/control.js'),
      ]);
      return (
        config: Config,
        options: { dryRun?: boolean; daemon?: string; adminToken?: string },
      ) => (options.daemon ? remoteResync(config, options) : resyncCommand(config, options));
    },
  );
  define(
    program
      .command('rebind')
      .description(
        'change the recorded branch (--branch) or manifest folder (--path) this database follows; logged',
      )
      .option('--force', 'even while commits on the recorded branch are not applied yet'),
    async () => (await import('./commands/rebind.js')).rebindCommand,
  );
  for (const action of ['suspend', 'resume'] as const) {
    define(
      program
        .command(action)
        .description(
          action === 'suspend'
            ? 'stop applying commits (kept across restarts); the daemon still watches and reports lag'
            : 'apply commits again after a suspend',
        )
        .option(
          '--daemon <url>',
          'through this running daemon (needed when it holds the embedded database)',
        )
        .option(
          '--admin-token <token>',
          "the daemon's admin token (default: $MANIFEST_SYNC_ADMIN_TOKEN)",
        )
        .option('--reason <text>', 'why, for status, the page and the audit trail')
        .option('--actor <name>', 'who, for the audit trail (default: the OS user)'),
      async () => {
        const { controlCommand } = await import('./commands/control.js');
        return (config: Config, options: object) => controlCommand(config, options, action);
      },
    );
  }
  defineOperatorCommands(program, define);
  define(
    program
      .command('audit-log')
      .description('operator actions (rollback, pin, yank, suspend, resync, …), newest first')
      .argument('[slug]', "one connector's actions only")
      .option('--limit <n>', 'at most this many (default: 100)')
      .option(
        '--daemon <url>',
        'read through this running daemon (needed when it holds the embedded database)',
      ),
    async () => (await import('./commands/auditLog.js')).auditLogCommand,
  );
  define(
    program
      .command('status')
      .description('cursor, head, commits behind, last run, refused manifests')
      .option(
        '--daemon <url>',
        'read through this running daemon (needed when it holds the embedded database)',
      ),
    async () => (await import('./commands/status.js')).statusCommand,
  );
  define(
    program
      .command('daemon')
      .description(
        'watch the repository (or mirror a remote) and apply each new commit; serve health, metrics and the API',
      )
      .option(
        '--http-port <port>',
        'HTTP port for health, metrics, webhook, API (default: 8080, $MANIFEST_SYNC_HTTP_PORT)',
      )
      .option(
        '--host <address>',
        'address to listen on (default: 127.0.0.1; 0.0.0.0 in a container, $MANIFEST_SYNC_HOST)',
      )
      .option(
        '--max-connections <n>',
        'open HTTP connections kept at most (default: 256, $MANIFEST_SYNC_MAX_CONNECTIONS)',
      )
      .option(
        '--request-timeout <seconds>',
        'drop a request not fully received in time (default: 20, $MANIFEST_SYNC_REQUEST_TIMEOUT)',
      )
      .option(
        '--poll-interval <seconds>',
        'the slow periodic check behind the watcher; the fetch interval in remote mode (default: 30)',
      )
      .option('--remote <url>', 'mirror this https, ssh or file remote instead of watching --repo')
      .option(
        '--webhook-secret <secret>',
        'verifies POST /webhook (default: $MANIFEST_SYNC_WEBHOOK_SECRET)',
      )
      .option(
        '--admin-token <token>',
        'bearer token for /admin endpoints (default: $MANIFEST_SYNC_ADMIN_TOKEN)',
      )
      .option(
        '--commit-url <template>',
        'commit links on the page, e.g. https://github.com/org/repo/commit/{sha}',
      ),
    async () => (await import('./commands/daemon.js')).daemonCommand,
  );
  // `completion bash|zsh|fish|powershell` prints a script; the script asks `complete -- ARGS`
  // (hidden) for candidates, derived from this very command tree, so they never go stale.
  tab(program, { completionCommandName: 'completion' });
  return program;
}

/**
 * Runs the CLI and returns its exit code; the one top-level catch maps errors to exit codes.
 * Everything it prints and logs goes to `io` (tests pass buffers and run it in their process).
 */
export function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return withCliIo(io, () => withLogDestination(io.stderr, () => runProgram(argv, io)));
}

async function runProgram(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  // Known before parsing, so that even a usage error comes out as JSON.
  const json = argv.slice(2).includes('--json');
  const program = buildProgram(
    (code) => {
      exitCode = code;
    },
    { json },
  );
  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    // commander ends --help and --version with an error whose exitCode is 0.
    if (isCommanderError(error) && error.exitCode === 0) return ExitCode.ok;
    const code = exitCodeFor(error);
    // commander has printed its usage error already, unless --json silenced it.
    if (isCommanderError(error) && !json) return code;
    const message = ((error as Error).message ?? String(error)).replace(/^error: /, '');
    if (json)
      io.stderr.write(
        `${JSON.stringify({ error: { code: errorCodeOf(error), exitCode: code, message } })}\n`,
      );
    else
      io.stderr.write(
        `manifest-sync: ${code === ExitCode.internal ? ((error as Error).stack ?? message) : message}\n`,
      );
    return code;
  }
}

/** Entry point for bin/manifest-sync.js. */
export async function run(): Promise<void> {
  const code = await main(process.argv);
  process.stdout.write('', () => process.exit(code));
}
