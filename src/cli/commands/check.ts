import type { Config } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { openRepository } from '../../git/index.js';
import { checkRevisions } from '../../sync/checkRevisions.js';
import type { StateReader } from '../../sync/readStatesReadOnly.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';
import {
  type FailOn,
  formatCheckGithub,
  formatCheckMarkdown,
  formatCheckText,
  toCheckOutput,
} from './checkFormats.js';

/** `check`'s own flags. */
export interface CheckFlags {
  base: string;
  head?: string;
  perCommit?: boolean;
  format?: 'text' | 'json' | 'github' | 'markdown';
  failOn?: FailOn;
}

/**
 * `manifest-sync check --base REV [--head REV]`: what merging the change would do, from git alone
 * (or, with --database-url, against the database's latest versions, read-only). Writes nothing.
 * Exits 1 when a manifest is refused, 10 when `--fail-on` trips.
 */
export async function checkCommand(config: Config, flags: CheckFlags): Promise<number> {
  if (config.json && flags.format && flags.format !== 'json')
    throw new ConfigError(`--json and --format ${flags.format} ask for two formats: give one`);
  const format = config.json ? 'json' : (flags.format ?? 'text');
  const repository = await openRepository({ path: config.repo });
  let states: StateReader | null = null;
  try {
    if (config.databaseUrl) {
      const { openStateReader } = await import('../../sync/readStatesReadOnly.js');
      states = await openStateReader(config.databaseUrl);
    }
    const reader = states;
    const report = await checkRevisions(
      {
        repository,
        config,
        ...(reader ? { readStates: reader.read } : {}),
      },
      {
        base: flags.base,
        perCommit: flags.perCommit ?? false,
        ...(flags.head ? { head: flags.head } : {}),
      },
    );
    const output = toCheckOutput(report, flags.failOn ?? null);
    if (format === 'json') printJson(output);
    else if (format === 'github') printLines(formatCheckGithub(output));
    else if (format === 'markdown') printLines(formatCheckMarkdown(output));
    else printLines(formatCheckText(output));
    if (output.refusals.length > 0) return ExitCode.problems;
    return output.gate.tripped ? ExitCode.checkGate : ExitCode.ok;
  } finally {
    await Promise.all([repository.close(), states?.close()]);
  }
}
