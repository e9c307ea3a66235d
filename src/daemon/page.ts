import type { Kysely } from 'kysely';
import { isCommitUrlTemplate } from '../audit/html.js';
import { renderPage } from '../audit/renderPage.js';
import { listConnectors } from '../db/operations/audit/listConnectors.js';
import { readVersionHistories } from '../db/operations/audit/readVersionHistories.js';
import type { Schema } from '../db/schema.js';
import { ConfigError } from '../errors.js';
import type { SyncStatus } from '../sync/readStatus.js';
import type { Route } from './http.js';

/** What the page reads from. */
export interface PageDeps {
  db: Kysely<Schema>;
  /** The sync status (`readStatus` bound to the daemon's session); a throw is shown, not a 500. */
  readStatus: () => Promise<SyncStatus>;
  /** Links shas through e.g. `https://github.com/org/repo/commit/{sha}`; plain shas without it. */
  commitUrl?: string | null;
  /** Most connectors listed on the page. @default 1000 */
  limit?: number;
  /** @default () => new Date() */
  clock?: () => Date;
}

/** The page's headers: no scripts or outside resources may run, even if escaping failed. */
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** `GET /`: sync status and every connector's version history, on one small page. */
export function pageRoute(deps: PageDeps): Route {
  const commitUrl = deps.commitUrl || null;
  if (commitUrl !== null && !isCommitUrlTemplate(commitUrl))
    throw new ConfigError(
      `commit URL template must be http(s) and contain {sha}, e.g. https://github.com/org/repo/commit/{sha} (got '${commitUrl}')`,
    );
  const clock = deps.clock ?? (() => new Date());
  return {
    method: 'GET',
    pattern: '/',
    async handler() {
      const [status, page] = await Promise.all([
        deps.readStatus().catch((error: unknown) => ({
          error: String((error as Error)?.message ?? error),
        })),
        listConnectors(deps.db, { limit: deps.limit ?? 1000, offset: 0 }),
      ]);
      const histories = await readVersionHistories(deps.db, {
        slugs: page.connectors.map((c) => c.slug),
      });
      const body = renderPage({
        status,
        connectors: page.connectors,
        total: page.total,
        histories,
        commitUrl,
        generatedAt: clock(),
      });
      return { status: 200, headers: HEADERS, body };
    },
  };
}
