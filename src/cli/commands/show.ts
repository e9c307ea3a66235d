import { describeVersionAt, formatVersion } from '../../audit/formatVersion.js';
import { checkRevision } from '../../audit/revision.js';
import type { Config } from '../../config.js';
import { ConfigError, NotFoundError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { openSession, type Session } from '../../sync/openSession.js';
import { readVersionAtRevision } from '../../sync/readVersionAtRevision.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';
import { parseVersionRef, readStoredVersion, unknownConnectorIn } from './storedVersions.js';

/** Options of `show`. */
export interface ShowOptions {
  /** A sha, branch or tag: show the version live at that revision. */
  at?: string;
}

async function showAt(session: Session, config: Config, slug: string, revision: string) {
  const { db } = session.database;
  const result = await readVersionAtRevision(
    { db, repository: session.repository, dir: config.path },
    { slug, revision },
  );
  if (result.kind === 'unknown-revision')
    throw new NotFoundError(
      `--at ${revision}: no commit, branch or tag of that name in ${session.repository.path}`,
    );
  if (result.kind === 'unknown-slug') throw await unknownConnectorIn(db, slug);
  const { at, sha } = result;
  if (!at.found) throw new NotFoundError(`${slug} had no version at ${revision}: ${at.reason}`);
  const detail = await readStoredVersion(db, slug, at.version.version);
  if (config.json)
    printJson({ ...detail, at: { revision, sha, basis: at.basis, deleted: at.deleted } });
  else printLines([describeVersionAt(slug, revision, sha, at), '', ...formatVersion(detail)]);
}

/** `manifest-sync show SLUG[@VERSION] [--at REV]`: one version's manifest and provenance. */
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
  const logger = createLogger({ level: config.logLevel });
  const session = await openSession(config, {
    holder: 'manifest-sync show',
    logger,
    access: 'read',
  });
  try {
    if (options.at !== undefined) {
      await showAt(session, config, slug, options.at);
      return ExitCode.ok;
    }
    const detail = await readStoredVersion(session.database.db, slug, version);
    if (config.json) printJson(detail);
    else printLines(formatVersion(detail));
    return ExitCode.ok;
  } finally {
    await session.close();
  }
}
