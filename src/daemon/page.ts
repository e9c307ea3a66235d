import type { Kysely } from 'kysely';
import { escapeHtml, isCommitUrlTemplate } from '../audit/html.js';
import { decodeKeyset, encodeKeyset } from '../audit/keyset.js';
import { renderHistoryPage } from '../audit/renderHistoryPage.js';
import { renderDocument, renderPage } from '../audit/renderPage.js';
import { wallClock } from '../clock.js';
import type { Schema } from '../db/schema.js';
import { ConfigError } from '../errors.js';
import { SLUG_PATTERN } from '../manifest/index.js';
import { listConnectors } from '../query/listConnectors.js';
import { readConnector } from '../query/readConnector.js';
import { readOperatorActions } from '../query/readOperatorActions.js';
import { readRecentVersions } from '../query/readRecentVersions.js';
import type { SyncStatus } from '../query/readStatus.js';
import { readVersionPage } from '../query/readVersionPage.js';
import type { HttpResponse, Route } from './http.js';

/** What the page reads from. */
export interface PageDeps {
  db: Kysely<Schema>;
  /** The sync status (`readStatus` bound to the daemon's session); a throw is shown, not a 500. */
  readStatus: () => Promise<SyncStatus>;
  /** Links shas through e.g. `https://github.com/org/repo/commit/{sha}`; plain shas without it. */
  commitUrl?: string | null;
  /** Connectors on one page of the list. @default 50 */
  limit?: number;
  /** Recent versions shown under each connector on the list. @default 5 */
  recent?: number;
  /** Versions on one page of a connector's history. @default 100 */
  historyLimit?: number;
  /** @default wallClock (src/clock.ts) */
  clock?: () => Date;
}

/** The page's headers: no scripts or outside resources may run, even if escaping failed. */
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // form-action 'self': the search form may submit to this server, nowhere else.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** Longest `?q=` search accepted. */
const MAX_SEARCH = 100;

function checkTemplate(commitUrl: string | null): void {
  if (commitUrl !== null && !isCommitUrlTemplate(commitUrl))
    throw new ConfigError(
      `commit URL template must be http(s) and contain {sha}, e.g. https://github.com/org/repo/commit/{sha} (got '${commitUrl}')`,
    );
}

/** A page saying what was wrong with the request (400) or what is missing (404). */
function problemPage(status: 400 | 404, message: string, now: Date): HttpResponse {
  const body = `<p class="error">${escapeHtml(message)}</p><p><a href="/">all connectors</a></p>`;
  return {
    status,
    headers: HEADERS,
    body: renderDocument({ title: 'manifest-sync', generatedAt: now, body }),
  };
}

/**
 * `GET /`: the sync status and one page of connectors (`?after=` the next page, `?q=` a search
 * by slug or name), each with its latest version and a short recent history. Bounded by the page
 * size, whatever the number of versions stored.
 */
export function pageRoute(deps: PageDeps): Route {
  const commitUrl = deps.commitUrl || null;
  checkTemplate(commitUrl);
  const clock = deps.clock ?? wallClock;
  const limit = deps.limit ?? 50;
  return {
    method: 'GET',
    pattern: '/',
    async handler({ url }) {
      const token = url.searchParams.get('after');
      const after = token === null ? null : decodeKeyset(token, 'slug');
      if (after && !after.ok) return problemPage(400, after.error, clock());
      const search = url.searchParams.get('q') || null;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
      if (search && (search.length > MAX_SEARCH || /[\u0000-\u001f\u007f]/.test(search)))
        return problemPage(
          400,
          `invalid q: at most ${MAX_SEARCH} characters, no control characters`,
          clock(),
        );
      const [status, page] = await Promise.all([
        deps.readStatus().catch((error: unknown) => ({
          error: String((error as Error)?.message ?? error),
        })),
        listConnectors(deps.db, {
          limit,
          after: after?.ok && after.keyset.kind === 'slug' ? after.keyset.slug : null,
          search,
        }),
      ]);
      const histories = await readRecentVersions(deps.db, {
        slugs: page.connectors.map((c) => c.slug),
        perConnector: deps.recent ?? 5,
      });
      const last = page.connectors.at(-1);
      const actions = await readOperatorActions(deps.db, { limit: 20 });
      const body = renderPage({
        status,
        connectors: page.connectors,
        total: page.total,
        histories,
        commitUrl,
        generatedAt: clock(),
        actions,
        search,
        next: page.more && last ? encodeKeyset({ kind: 'slug', slug: last.slug }) : null,
      });
      return { status: 200, headers: HEADERS, body };
    },
  };
}

/** `GET /connectors/{slug}`: one connector's full history, a page at a time (`?after=`). */
export function historyPageRoute(deps: PageDeps): Route {
  const commitUrl = deps.commitUrl || null;
  checkTemplate(commitUrl);
  const clock = deps.clock ?? wallClock;
  const limit = deps.historyLimit ?? 100;
  return {
    method: 'GET',
    pattern: '/connectors/:slug',
    async handler({ params, url }) {
      const slug = params.slug ?? '';
      if (slug.length > 64 || !SLUG_PATTERN.test(slug))
        return problemPage(
          400,
          'invalid slug: lowercase letters and digits in words joined by single hyphens, at most 64 characters',
          clock(),
        );
      const token = url.searchParams.get('after');
      const after = token === null ? null : decodeKeyset(token, 'version');
      if (after && !after.ok) return problemPage(400, after.error, clock());
      const keyset = after?.ok && after.keyset.kind === 'version' ? after.keyset : null;
      const [connector, page] = await Promise.all([
        readConnector(deps.db, slug),
        readVersionPage(deps.db, { slug, limit, after: keyset }),
      ]);
      if (!connector || !page)
        return problemPage(404, `no connector has the slug ${slug}`, clock());
      const body = renderHistoryPage({
        connector,
        versions: page.versions,
        next: page.next ? encodeKeyset({ kind: 'version', ...page.next }) : null,
        paged: keyset !== null,
        commitUrl,
        generatedAt: clock(),
      });
      return { status: 200, headers: HEADERS, body };
    },
  };
}
