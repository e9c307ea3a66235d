import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { VersionAction } from '../plan/operatorTypes.js';
import type { Body } from './body.js';

const USAGE: Record<VersionAction, { argument: string; description: string }> = {
  rollback: {
    argument: '<slug>',
    description:
      'move the latest pointer back to an earlier version (default: the one before) and pin it there',
  },
  pin: {
    argument: '<slug[@version]>',
    description: 'hold the latest pointer on a version (default: where it is) while commits go on',
  },
  unpin: {
    argument: '<slug>',
    description: 'end a pin: the pointer moves to the newest version that is not yanked',
  },
  yank: {
    argument: '<slug@version>',
    description: 'withdraw a version: the pointer never rests on it (the row stays)',
  },
  unyank: { argument: '<slug@version>', description: 'restore a yanked version' },
};

/** Registers rollback, pin, unpin, yank and unyank; each records who and why in the audit table. */
export function defineOperatorCommands(
  program: Command,
  define: <O>(command: Command, load: () => Promise<Body<O>>) => Command,
): void {
  for (const action of Object.keys(USAGE) as VersionAction[]) {
    const usage = USAGE[action];
    const command = program
      .command(action)
      .description(usage.description)
      .argument(usage.argument)
      .requiredOption('--reason <text>', 'why: recorded in the audit trail')
      .option('--actor <name>', 'who: recorded in the audit trail (default: the OS user)')
      .option(
        '--daemon <url>',
        'through this running daemon (needed when it holds the embedded database)',
      )
      .option(
        '--admin-token <token>',
        "the daemon's admin token (default: $MANIFEST_SYNC_ADMIN_TOKEN)",
      );
    if (action === 'rollback') command.option('--to <version>', 'the version to go back to');
    if (action === 'rollback' || action === 'pin')
      command.option(
        '--until <time>',
        'the pin stops holding then: 2026-12-24T18:00Z, or 30m, 2h, 7d',
      );
    define(command, async () => {
      const { operateCommand } = await import('./commands/operate.js');
      return (config: Config, options: object, args: string[]) =>
        operateCommand(config, options, action, args);
    });
  }
}
