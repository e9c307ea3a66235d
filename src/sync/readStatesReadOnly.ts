import { sql } from 'kysely';
import { openDatabase } from '../db/connection.js';
import {
  type ReadStatesOptions,
  readConnectorStates,
  type StatesRead,
} from '../db/operations/connectors/readConnectorStates.js';
import { DatabaseError } from '../errors.js';

/** PostgreSQL's "undefined_table": the database has not been migrated (and `check` never migrates). */
const UNDEFINED_TABLE = '42P01';

/** Reads connector states from a PostgreSQL database, never writing: for `check --database-url`. */
export interface StateReader {
  /** The states of the first of some slugs, as many as a budget allows (see `readConnectorStates`). */
  read: (options: ReadStatesOptions) => Promise<StatesRead>;
  close(): Promise<void>;
}

/**
 * Opens a PostgreSQL database for reading only: no migration, no embedded store, every read inside
 * a `READ ONLY` transaction, so even a bug here could not write a row.
 */
export async function openStateReader(url: string): Promise<StateReader> {
  const database = await openDatabase({
    url,
    dataDir: '',
    holder: 'manifest-sync check',
    poolSize: 1,
  });
  return {
    read: async (options) => {
      try {
        return await database.db.transaction().execute(async (trx) => {
          // One snapshot for the rows, the manifests and the versions read one after another.
          await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(trx);
          return readConnectorStates(trx, options);
        });
      } catch (error) {
        if ((error as { code?: string }).code !== UNDEFINED_TABLE) throw error;
        throw new DatabaseError(
          `${database.location} has no manifest-sync tables: \`check\` never migrates; ` +
            'run `manifest-sync migrate` there first, or check without --database-url',
          { cause: error },
        );
      }
    },
    close: () => database.close(),
  };
}
