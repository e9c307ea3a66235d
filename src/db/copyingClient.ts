import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyResult, isCopyFromStdin } from './copyStatement.js';

/** What pg-copy-streams' COPY stream has beyond its declared type, used below. */
type CopyStream = ReturnType<typeof copyFrom> & {
  connection: unknown;
  handleError(error: Error, connection: unknown): void;
};

/**
 * pg's client, but a `COPY ... FROM STDIN` whose one parameter is its data (see
 * copyStatement.ts) is streamed with pg-copy-streams on the same connection, so it runs inside
 * the caller's transaction like any other statement. The pool makes its clients with it.
 */
export class CopyingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; all others pass through as they are.
  override query(...args: any[]): any {
    const [sql, parameters, callback] = args;
    if (typeof sql === 'string' && isCopyFromStdin(sql, parameters)) {
      const copied = this.#copy(sql, parameters[0]);
      // pg-pool's own pool.query passes a callback and expects nothing back.
      if (typeof callback !== 'function') return copied;
      copied.then((result) => callback(null, result), callback);
      return undefined;
    }
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    return (super.query as (...args: any[]) => any)(...args);
  }

  #copy(sql: string, chunks: readonly string[]) {
    return new Promise<ReturnType<typeof copyResult>>((resolve, reject) => {
      // pg would time the COPY out by `query_timeout` (from the URL or PGQUERY_TIMEOUT) and then
      // leave pg-copy-streams without its connection while the server still answers: an uncaught
      // TypeError. The COPY is left to the server's own statement_timeout instead.
      const parameters = (this as unknown as { connectionParameters: { query_timeout?: unknown } })
        .connectionParameters;
      const timeout = parameters.query_timeout;
      parameters.query_timeout = undefined;
      let stream: CopyStream;
      try {
        stream = super.query(copyFrom(sql)) as CopyStream;
      } finally {
        parameters.query_timeout = timeout;
      }
      // pg-copy-streams forgets the connection when PostgreSQL refuses a row, but a large COPY may
      // still be writing its data, waiting for the socket to drain: its next write would throw a
      // TypeError nobody can catch (brianc/node-pg-copy-streams#171). The connection is given
      // back; the server drops what arrives after its error, as the protocol says.
      const handleError = stream.handleError.bind(stream);
      stream.handleError = (error: Error, connection: unknown) => {
        handleError(error, connection);
        stream.connection = connection;
      };
      // PostgreSQL refusing a row (a constraint, a bad value) or the connection failing fails the
      // stream; the transaction is then aborted, as after a failed INSERT.
      stream.on('error', reject);
      stream.on('finish', () => resolve(copyResult(stream.rowCount)));
      for (const chunk of chunks) stream.write(chunk);
      stream.end();
    });
  }
}
