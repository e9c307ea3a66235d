import type { Config } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import type { Manifest } from '../../manifest/types.js';
import { openSession } from '../../sync/openSession.js';

/** Splits `slug@version`. */
export function parseVersionRef(ref: string): { slug: string; version: string | null } {
  const at = ref.lastIndexOf('@');
  return at < 0
    ? { slug: ref, version: null }
    : { slug: ref.slice(0, at), version: ref.slice(at + 1) || null };
}

/** Reads two stored versions' manifests (SLUG@A, SLUG@B) from the database. */
export async function readStoredPair(
  config: Config,
  a: string,
  b: string,
): Promise<[Manifest, Manifest]> {
  const session = await openSession(config, {
    holder: 'manifest-sync diff',
    logger: createLogger({ level: config.logLevel }),
  });
  try {
    const read = async (ref: string): Promise<Manifest> => {
      const { slug, version } = parseVersionRef(ref);
      const row = await session.database.db
        .selectFrom('connectorversion as v')
        .innerJoin('connector as c', 'c.id', 'v.connector_id')
        .select('v.manifest')
        .where('c.slug', '=', slug)
        .where('v.version', '=', version ?? '')
        .executeTakeFirst();
      if (!row)
        throw new NotFoundError(`no stored version ${ref}: see \`manifest-sync history ${slug}\``);
      return row.manifest as Manifest;
    };
    return [await read(a), await read(b)];
  } finally {
    await session.close();
  }
}
