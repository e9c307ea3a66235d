import { errorCodeOf, type FailureCode } from '../errors.js';

/**
 * The HTTP status of each error code, for an error that escapes a route's handler. Requests are
 * checked before anything throws (a 400 or 404 is answered as data), so what escapes is the
 * daemon's own state: 500 unless the code says the client can do something about it.
 */
export const HTTP_STATUS: Readonly<Record<FailureCode, number>> = {
  // The database is down, restarting or held: worth retrying (503, with retry-after).
  database: 503,
  'store-locked': 503,
  // An operator suspended syncing: the request conflicts with that state until `resume`.
  suspended: 409,
  // An operator action refused: unknown names are 404, the rest conflict with the state (409).
  'unknown-connector': 404,
  'unknown-version': 404,
  'wrong-target': 409,
  'connector-gone': 409,
  'yank-state': 409,
  'nowhere-to-go': 409,
  // The daemon's own flags, binding, repository or a bug: nothing the client can change.
  usage: 500,
  'invalid-input': 500,
  'not-found': 500,
  'binding-conflict': 500,
  'source-missing': 500,
  git: 500,
  'not-a-repository': 500,
  'unknown-revision': 500,
  'not-ancestor': 500,
  'shallow-history': 500,
  internal: 500,
};

/** The HTTP status for an error a handler threw, by its code (src/errors.ts). */
export function httpStatusFor(error: unknown): number {
  return HTTP_STATUS[errorCodeOf(error)] ?? 500;
}
