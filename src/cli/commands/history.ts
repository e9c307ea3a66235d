import { formatActions } from '../../audit/formatActions.js';
import { formatHistory } from '../../audit/formatHistory.js';
import type { Config } from '../../config.js';
import { readConnector } from '../../db/operations/audit/readConnector.js';
import { readVersionHistory } from '../../db/operations/audit/readVersionHistory.js';
import { readOperatorActions } from '../../db/operations/operators/readOperatorActions.js';
import { createLogger } from '../../logger.js';
import { openSession } from '../../sync/openSession.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';
import { unknownConnectorIn } from './storedVersions.js';

/**
 * `manifest-sync history SLUG`: every version newest first, with its commit, author, bump and
 * reasons (yanked ones marked), then the operators' actions on the connector.
 */
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
    const { actions } = await readOperatorActions(db, { slug, limit: 1000 });
    if (config.json) printJson({ connector, versions, actions });
    else
      printLines([
        ...formatHistory(connector, versions),
        'operator actions',
        ...formatActions(actions),
      ]);
    return ExitCode.ok;
  } finally {
    await session.close();
  }
}
