import { formatHistory } from '../../audit/formatHistory.js';
import type { Config } from '../../config.js';
import { readConnector } from '../../db/operations/audit/readConnector.js';
import { readVersionHistory } from '../../db/operations/audit/readVersionHistory.js';
import { createLogger } from '../../logger.js';
import { openSession } from '../../sync/openSession.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';
import { unknownConnectorIn } from './storedVersions.js';

/** `manifest-sync history SLUG`: every version newest first, with its commit, author, bump and reasons. */
export async function historyCommand(
  config: Config,
  _options: unknown,
  args: string[],
): Promise<number> {
  const [slug = ''] = args;
  const logger = createLogger({ level: config.logLevel });
  const session = await openSession(config, {
    holder: 'manifest-sync history',
    logger,
    access: 'read',
  });
  try {
    const { db } = session.database;
    const connector = await readConnector(db, slug);
    if (!connector) throw await unknownConnectorIn(db, slug);
    const versions = (await readVersionHistory(db, slug)) ?? [];
    if (config.json) printJson({ connector, versions });
    else printLines(formatHistory(connector, versions));
    return ExitCode.ok;
  } finally {
    await session.close();
  }
}
