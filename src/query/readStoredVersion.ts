import { suggestNames } from '../audit/suggest.js';
import type { VersionDetail } from '../audit/types.js';
import { NotFoundError } from '../errors.js';
import type { Reader } from './reader.js';

/** The error for a slug no connector has, with the closest known slugs ("did you mean"). */
export function unknownConnector(slug: string, known: readonly string[] = []): NotFoundError {
  if (slug === '') return new NotFoundError('name a connector by its slug');
  const close = suggestNames(slug, known);
  const hint = close.length ? `: did you mean ${close.map((s) => `\`${s}\``).join(' or ')}?` : '';
  return new NotFoundError(`no connector has the slug \`${slug}\`${hint}`);
}

/** {@link unknownConnector}, with suggestions from the reader's slugs. */
export async function unknownConnectorIn(reader: Reader, slug: string): Promise<NotFoundError> {
  return unknownConnector(slug, await reader.readSlugs());
}

/**
 * One stored version with manifest and provenance; `version` null means the one the latest
 * pointer is on (or the newest, when the pointer is empty). Throws a NotFoundError that says
 * whether the connector or the version is missing.
 */
export async function readStoredVersion(
  reader: Reader,
  slug: string,
  version: string | null,
): Promise<VersionDetail> {
  if (version !== null) {
    const detail = await reader.readVersion({ slug, version });
    if (detail) return detail;
    if (!(await reader.readConnector(slug))) throw await unknownConnectorIn(reader, slug);
    throw new NotFoundError(
      `${slug} has no version ${version}: see \`manifest-sync history ${slug}\``,
    );
  }
  const connector = await reader.readConnector(slug);
  if (connector === null) throw await unknownConnectorIn(reader, slug);
  // The pointer's version; only an empty pointer needs the whole history (for the newest).
  const chosen = connector.latest ?? (await reader.readVersionHistory(slug))?.[0];
  if (!chosen) throw new NotFoundError(`${slug} has no versions yet`);
  return readStoredVersion(reader, slug, chosen.version);
}
