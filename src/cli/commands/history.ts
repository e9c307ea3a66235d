import { formatActions } from '../../audit/formatActions.js';
import { formatHistory } from '../../audit/formatHistory.js';
import type { Config } from '../../config.js';
import { unknownConnectorIn } from '../../query/readStoredVersion.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';
import { type ReadFlags, withReader } from '../withReader.js';

/**
 * `manifest-sync history SLUG [--daemon URL]`: every version newest first, with its commit,
 * author, bump and reasons (yanked ones marked), then the operators' actions on the connector.
 */
export async function historyCommand(
  config: Config,
  flags: ReadFlags,
  args: string[],
): Promise<number> {
  const [slug = ''] = args;
  const { connector, versions, actions } = await withReader(
    config,
    flags,
    'manifest-sync history',
    async (reader) => {
      const connector = await reader.readConnector(slug);
      if (!connector) throw await unknownConnectorIn(reader, slug);
      const versions = (await reader.readVersionHistory(slug)) ?? [];
      const { actions } = await reader.readOperatorActions({ slug, limit: 1000 });
      return { connector, versions, actions };
    },
  );
  if (config.json) printJson({ connector, versions, actions });
  else
    printLines([
      ...formatHistory(connector, versions),
      'operator actions',
      ...formatActions(actions),
    ]);
  return ExitCode.ok;
}
