import type { Kysely } from 'kysely';
import { suggestNames } from '../../audit/suggest.js';
import type { VersionDetail } from '../../audit/types.js';
import type { Config } from '../../config.js';
import { readConnector } from '../../db/operations/audit/readConnector.js';
import { readSlugs } from '../../db/operations/audit/readSlugs.js';
import { readVersion } from '../../db/operations/audit/readVersion.js';
import { readVersionHistory } from '../../db/operations/audit/readVersionHistory.js';
import type { Schema } from '../../db/schema.js';
import { NotFoundError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import type { Manifest } from '../../manifest/types.js';
import { openSession } from '../../sync/openSession.js';
import { withStoredWheel } from '../../versioning/index.js';

/** Splits `slug@version`. */
export function parseVersionRef(ref: string): { slug: string; version: string | null } {
  const at = ref.lastIndexOf('@');
  return at < 0
    ? { slug: ref, version: null }
    : { slug: ref.slice(0, at), version: ref.slice(at + 1) || null };
}

/** The error for a slug no connector has, with the closest known slugs ("did you mean"). */
export function unknownConnector(slug: string, known: readonly string[] = []): NotFoundError {
  if (slug === '') return new NotFoundError('name a connector by its slug');
  const close = suggestNames(slug, known);
  const hint = close.length ? `: did you mean ${close.map((s) => `\`${s}\``).join(' or ')}?` : '';
  return new NotFoundError(`no connector has the slug \`${slug}\`${hint}`);
}

/** {@link unknownConnector}, with suggestions read from the database. */
export async function unknownConnectorIn(db: Kysely<Schema>, slug: string): Promise<NotFoundError> {
  return unknownConnector(slug, await readSlugs(db));
}

/**
 * One stored version with manifest and provenance; `version` null means the one the latest
 * pointer is on (or the newest, when the pointer is empty). Throws a NotFoundError that says
 * whether the connector or the version is missing.
 */
export async function readStoredVersion(
  db: Kysely<Schema>,
  slug: string,
  version: string | null,
): Promise<VersionDetail> {
  if (version !== null) {
    const detail = await readVersion(db, { slug, version });
    if (detail) return detail;
    if (!(await readConnector(db, slug))) throw await unknownConnectorIn(db, slug);
    throw new NotFoundError(
      `${slug} has no version ${version}: see \`manifest-sync history ${slug}\``,
    );
  }
  const history = await readVersionHistory(db, slug);
  if (history === null) throw await unknownConnectorIn(db, slug);
  const chosen = history.find((v) => v.latest) ?? history[0];
  if (!chosen) throw new NotFoundError(`${slug} has no versions yet`);
  return readStoredVersion(db, slug, chosen.version);
}

/**
 * Reads two stored versions' manifests (SLUG@A, SLUG@B) from the database, each with its row's
 * wheel where a row made by hand has one its manifest does not declare (as the planner diffs).
 */
export async function readStoredPair(
  config: Config,
  a: string,
  b: string,
): Promise<[Manifest, Manifest]> {
  const session = await openSession(config, {
    holder: 'manifest-sync diff',
    access: 'read',
    logger: createLogger({ level: config.logLevel }),
  });
  try {
    const read = async (ref: string): Promise<Manifest> => {
      const { slug, version } = parseVersionRef(ref);
      const detail = await readStoredVersion(session.database.db, slug, version);
      return withStoredWheel(detail.manifest as Manifest, detail.wheelUrl);
    };
    return [await read(a), await read(b)];
  } finally {
    await session.close();
  }
}
