/**
 * PostgreSQL SQLSTATE classes that mean "the server is not there for us" rather than "this query
 * is wrong": 08 connection exception, 28 invalid authorization, 3D invalid catalog (no such
 * database), 57P01-57P03 the server shutting down or starting.
 */
const UNAVAILABLE = /^(08|28|3D|57P0[123])/;

/** The Node.js socket errors of a server that cannot be reached. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]);

/** Whether `error` (or its cause) says the database cannot be reached, as opposed to a bug or bad input. */
export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || UNAVAILABLE.test(code))) return true;
    if (
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(
        String((e as Error).message ?? ''),
      )
    )
      return true;
  }
  return false;
}
