import type { PGlite, Results } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { copyResult, isCopyFromStdin } from './copyStatement.js';

type Command = PostgresQueryResult<unknown>['command'];
const KNOWN_COMMANDS = new Set<string>([
  'UPDATE',
  'DELETE',
  'INSERT',
  'SELECT',
  'MERGE',
  'COMMIT',
  'ROLLBACK',
]);

function toQueryResult<R>(result: Results<R> | undefined): PostgresQueryResult<R> {
  const command = result?.command?.toUpperCase() ?? 'SELECT';
  return {
    // kysely reads numAffectedRows only for INSERT/UPDATE/DELETE/MERGE and watches for ROLLBACK.
    command: (KNOWN_COMMANDS.has(command) ? command : 'SELECT') as Command,
    rowCount: result?.rowCount ?? result?.affectedRows ?? result?.rows.length ?? 0,
    rows: result?.rows ?? [],
  };
}

/**
 * A pool-shaped adapter so kysely's own PostgresDialect runs over PGlite: one code path for
 * both backends. PGlite is a single connection, so `connect()` hands it to one caller at a
 * time and the next waits for `release()`; a transaction never interleaves with another
 * caller's statements.
 */
export function createPglitePool(pglite: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();

  async function query<R>(
    sql: string,
    parameters: readonly unknown[],
  ): Promise<PostgresQueryResult<R>> {
    if (isCopyFromStdin(sql, parameters)) {
      // PGlite reads COPY's data from a blob it is given, as the file `/dev/blob`.
      const copied = await pglite.query(sql.replace(/ FROM STDIN$/, " FROM '/dev/blob'"), [], {
        blob: new Blob([...parameters[0]]),
      });
      return copyResult(copied.affectedRows ?? 0);
    }
    if (parameters.length === 0) {
      // As pg does, use the simple protocol when there are no parameters: it takes several statements.
      const results = await pglite.exec(sql);
      return toQueryResult(results.at(-1) as Results<R> | undefined);
    }
    return toQueryResult(await pglite.query<R>(sql, parameters as unknown[]));
  }

  return {
    async connect() {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      return { query, release } as PostgresPoolClient;
    },
    async end() {
      await tail;
    },
  };
}
