import type { Config } from '../../config.js';
import { createLogger } from '../../logger.js';
import { openSession } from '../../sync/openSession.js';
import { rebind } from '../../sync/rebind.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines, short } from '../output.js';

/** `manifest-sync rebind [--branch NAME] [--path DIR] [--force]`: change the binding on purpose. */
export async function rebindCommand(config: Config, options: { force?: boolean }): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  const session = await openSession(config, { holder: 'manifest-sync rebind', logger });
  try {
    const report = await rebind(
      { config, logger, ...session },
      {
        branch: config.branch,
        path: config.pathGiven ? config.path : null,
        force: options.force ?? false,
      },
    );
    if (config.json) printJson(report);
    else {
      const from = report.from ? `${report.from.branch}:${report.from.path ?? '?'}` : 'nothing';
      printLines([
        `rebound ${short(report.repository)}: ${from} → ${report.to.branch}:${report.to.path || '.'}` +
          (report.cursor ? `; the next sync continues from ${short(report.cursor)}` : '') +
          (report.forced && report.pending !== 0
            ? ` (forced: ${report.pending ?? 'an unknown number of'} commit(s) left unapplied)`
            : ''),
      ]);
    }
    return ExitCode.ok;
  } finally {
    await session.close();
  }
}
