import { preparePglite } from './pgliteArtifacts.js';

/**
 * Starts loading what opening the database will need, for a command about to open it: pg's
 * modules (~55 ms) for a URL, PGlite's compiled PostgreSQL for the embedded store. The command's
 * own modules load meanwhile; `openDatabase` then finds them ready. Never fails: a problem is
 * reported by the open itself.
 */
export function prepareDatabase(url: string | null): void {
  if (url === null) void preparePglite();
  else import('pg').catch(() => {});
}
