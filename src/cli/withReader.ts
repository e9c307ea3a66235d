import type { Config } from '../config.js';
import type { Reader } from '../query/reader.js';

/** Where a read-only command reads: `--daemon URL` reads through that daemon's read API. */
export interface ReadFlags {
  daemon?: string;
}

/**
 * Runs `read` against a {@link Reader}: a running daemon's (`--daemon`, for when it holds the
 * embedded store), else the database's, opened read-only (never migrated) and closed after.
 * Only what the chosen way needs is loaded.
 */
export async function withReader<T>(
  config: Config,
  flags: ReadFlags,
  holder: string,
  read: (reader: Reader) => Promise<T>,
): Promise<T> {
  if (flags.daemon) {
    const { daemonReader } = await import('../query/daemonReader.js');
    return read(daemonReader(flags.daemon));
  }
  const [{ openSession }, { databaseReader }] = await Promise.all([
    import('../sync/openSession.js'),
    import('../query/databaseReader.js'),
  ]);
  // No logger: opening for reading logs nothing, and loading pino cost ~50 ms of every read.
  const session = await openSession(config, { holder, access: 'read' });
  try {
    return await read(databaseReader({ config, ...session }));
  } finally {
    await session.close();
  }
}
