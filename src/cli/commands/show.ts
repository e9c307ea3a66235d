import { describeVersionAt, formatVersion } from '../../audit/formatVersion.js';
import { checkRevision } from '../../audit/revision.js';
import type { Config } from '../../config.js';
import { ConfigError, NotFoundError } from '../../errors.js';
import type { Reader } from '../../query/reader.js';
import { readStoredVersion, unknownConnectorIn } from '../../query/readStoredVersion.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';
import { parseVersionRef } from '../versionRef.js';
import { type ReadFlags, withReader } from '../withReader.js';

/** Options of `show`. */
export interface ShowOptions extends ReadFlags {
  /** A sha, branch or tag: show the version live at that revision. */
  at?: string;
}

async function showAt(reader: Reader, config: Config, slug: string, revision: string) {
  const result = await reader.readVersionAtRevision({ slug, revision });
  if (result.kind === 'unknown-revision')
    throw new NotFoundError(
      `--at ${revision}: no commit, branch or tag of that name in ${reader.repositoryName}`,
    );
  if (result.kind === 'unknown-slug') throw await unknownConnectorIn(reader, slug);
  const { at, sha } = result;
  if (!at.found) throw new NotFoundError(`${slug} had no version at ${revision}: ${at.reason}`);
  const detail = await readStoredVersion(reader, slug, at.version.version);
  if (config.json)
    printJson({ ...detail, at: { revision, sha, basis: at.basis, deleted: at.deleted } });
  else printLines([describeVersionAt(slug, revision, sha, at), '', ...formatVersion(detail)]);
}

/** `manifest-sync show SLUG[@VERSION] [--at REV] [--daemon URL]`: one version's manifest and provenance. */
export async function showCommand(
  config: Config,
  options: ShowOptions,
  args: string[],
): Promise<number> {
  const { slug, version } = parseVersionRef(args[0] ?? '');
  if (version !== null && options.at !== undefined)
    throw new ConfigError('give SLUG@VERSION or --at REV, not both');
  const badRevision = options.at === undefined ? null : checkRevision(options.at);
  if (badRevision) throw new ConfigError(`--at ${options.at}: ${badRevision}`);
  const { at } = options;
  await withReader(config, options, 'manifest-sync show', async (reader) => {
    if (at !== undefined) return showAt(reader, config, slug, at);
    const detail = await readStoredVersion(reader, slug, version);
    if (config.json) printJson(detail);
    else printLines(formatVersion(detail));
  });
  return ExitCode.ok;
}
