import type { Kysely } from 'kysely';
import semver from 'semver';
import { decodeKeyset, encodeKeyset, type Keyset } from '../audit/keyset.js';
import { checkRevision } from '../audit/revision.js';
import type { Schema } from '../db/schema.js';
import type { GitRepository } from '../git/index.js';
import { SLUG_PATTERN } from '../manifest/index.js';
import { listConnectors } from '../query/listConnectors.js';
import { readCommitVersions } from '../query/readCommitVersions.js';
import { readConnector } from '../query/readConnector.js';
import type { SyncStatus } from '../query/readStatus.js';
import { readVersion } from '../query/readVersion.js';
import { readVersionAtRevision } from '../query/readVersionAtRevision.js';
import { readVersionPage } from '../query/readVersionPage.js';
import { type HttpResponse, json, type Route, type RouteRequest } from './http.js';

/** What the read API reads from. */
export interface ApiDeps {
  db: Kysely<Schema>;
  /** Needed only for `GET /api/connectors/:slug?at=REV`; without it that query is a 400. */
  repository?: () => GitRepository | null;
  /** The manifest directory, relative to the repository root. @default 'manifests' */
  manifestDir?: string;
  /** The sync status, for `GET /api/status` (what `status` prints); without it that path is a 404. */
  readStatus?: () => Promise<SyncStatus>;
}

/** Page size of every list in the API (`?limit=`). @default 50, at most 500 */
export const PAGE = { default: 50, max: 500 } as const;

/** Longest `?q=` search accepted. */
const MAX_SEARCH = 100;

const SHA = /^[0-9a-fA-F]{4,64}$/;
const COUNT = /^\d{1,9}$/;

/** A 400 (bad input) or 404 (nothing there) with a message. */
const problem = (status: 400 | 404, error: string) => json(status, { error });

/** Path and query checks, all before any SQL: a message for a 400, or null when valid. */
function checkSlug(slug: string | undefined): string | null {
  if (slug !== undefined && slug.length <= 64 && SLUG_PATTERN.test(slug)) return null;
  return 'invalid slug: lowercase letters and digits in words joined by single hyphens, at most 64 characters';
}

function checkVersion(version: string | undefined): string | null {
  if (version !== undefined && version.length <= 256 && semver.valid(version) === version)
    return null;
  return 'invalid version: expected a semantic version such as 1.2.3';
}

/** A page's `?limit=` and `?after=` (a token of the given kind), or the 400's message. */
function readPage<K extends Keyset['kind']>(
  url: URL,
  kind: K,
): { limit: number; after: Extract<Keyset, { kind: K }> | null } | string {
  if (url.searchParams.has('offset'))
    return "invalid offset: lists are paged by keyset, pass the previous page's 'next' as after=";
  const raw = url.searchParams.get('limit');
  const limit = raw === null ? PAGE.default : COUNT.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= PAGE.max)) return `invalid limit: an integer from 1 to ${PAGE.max}`;
  const token = url.searchParams.get('after');
  if (token === null) return { limit, after: null };
  const decoded = decodeKeyset(token, kind);
  if (!decoded.ok) return decoded.error;
  return { limit, after: decoded.keyset as Extract<Keyset, { kind: K }> };
}

/** `?q=`: at most 100 characters, no control characters; null when absent or empty. */
function readSearch(url: URL): string | null | { error: string } {
  const q = url.searchParams.get('q');
  if (q === null || q === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (q.length > MAX_SEARCH || /[\u0000-\u001f\u007f]/.test(q))
    return { error: `invalid q: at most ${MAX_SEARCH} characters, no control characters` };
  return q;
}

/**
 * The read API over the audit trail: the sync status, connectors (paged), one connector
 * (optionally the version live at `?at=REV`), its versions, one version with its manifest, and
 * the versions a commit produced. JSON; 400 for malformed parameters (checked before any SQL),
 * 404 for unknown names.
 */
export function apiRoutes(deps: ApiDeps): Route[] {
  const { db } = deps;
  const route = (
    pattern: string,
    handler: (request: RouteRequest) => Promise<HttpResponse>,
  ): Route => ({ method: 'GET', pattern, handler });

  /** The `at` member of `GET /api/connectors/:slug?at=REV`, or the error response. */
  const connectorAt = async (
    slug: string,
    revision: string,
  ): Promise<{ ok: true; at: object } | { ok: false; response: HttpResponse }> => {
    const fail = (status: 400 | 404, error: string) =>
      ({ ok: false, response: problem(status, error) }) as const;
    const repository = deps.repository?.() ?? null;
    if (!repository) return fail(400, 'this server has no repository to resolve at= (yet)');
    const found = await readVersionAtRevision(
      { db, repository, dir: deps.manifestDir ?? 'manifests' },
      { slug, revision },
    );
    if (found.kind === 'unknown-revision') return fail(404, `unknown revision: ${revision}`);
    if (found.kind === 'unknown-slug') return fail(404, `no connector has the slug ${slug}`);
    const { at, sha } = found;
    return {
      ok: true,
      at: at.found
        ? { revision, sha, version: at.version, basis: at.basis, deleted: at.deleted }
        : { revision, sha, version: null, reason: at.reason },
    };
  };

  const { readStatus } = deps;
  return [
    ...(readStatus
      ? [
          route('/api/status', async () => {
            try {
              return json(200, await readStatus());
            } catch (error) {
              // Not open yet, or the database or repository is down: the reason, worth a retry.
              return json(
                503,
                { error: 'the status is unavailable', reason: (error as Error).message },
                { 'retry-after': '5' },
              );
            }
          }),
        ]
      : []),
    route('/api/connectors', async ({ url }) => {
      const page = readPage(url, 'slug');
      if (typeof page === 'string') return problem(400, page);
      const search = readSearch(url);
      if (search !== null && typeof search === 'object') return problem(400, search.error);
      const { limit, after } = page;
      const found = await listConnectors(db, { limit, after: after?.slug ?? null, search });
      const last = found.connectors.at(-1);
      const next = found.more && last ? encodeKeyset({ kind: 'slug', slug: last.slug }) : null;
      return json(200, { total: found.total, limit, next, connectors: found.connectors });
    }),
    route('/api/connectors/:slug', async ({ params, url }) => {
      const invalid = checkSlug(params.slug);
      const slug = params.slug ?? '';
      if (invalid) return problem(400, invalid);
      const revision = url.searchParams.get('at');
      const badRevision = revision === null ? null : checkRevision(revision);
      if (badRevision) return problem(400, `at: ${badRevision}`);
      const connector = await readConnector(db, slug);
      if (!connector) return problem(404, `no connector has the slug ${slug}`);
      if (revision === null) return json(200, connector);
      const result = await connectorAt(slug, revision);
      return result.ok ? json(200, { ...connector, at: result.at }) : result.response;
    }),
    route('/api/connectors/:slug/versions', async ({ params, url }) => {
      const invalid = checkSlug(params.slug);
      const slug = params.slug ?? '';
      if (invalid) return problem(400, invalid);
      const page = readPage(url, 'version');
      if (typeof page === 'string') return problem(400, page);
      const found = await readVersionPage(db, { slug, limit: page.limit, after: page.after });
      if (!found) return problem(404, `no connector has the slug ${slug}`);
      const next = found.next ? encodeKeyset({ kind: 'version', ...found.next }) : null;
      return json(200, { slug, limit: page.limit, next, versions: found.versions });
    }),
    route('/api/connectors/:slug/versions/:version', async ({ params }) => {
      const invalid = checkSlug(params.slug) ?? checkVersion(params.version);
      const { slug = '', version = '' } = params;
      if (invalid) return problem(400, invalid);
      const detail = await readVersion(db, { slug, version });
      if (detail) return json(200, detail);
      if (!(await readConnector(db, slug)))
        return problem(404, `no connector has the slug ${slug}`);
      return problem(404, `${slug} has no version ${version}`);
    }),
    route('/api/commits/:sha', async ({ params, url }) => {
      const sha = params.sha ?? '';
      if (!SHA.test(sha)) return problem(400, 'invalid sha: 4 to 64 hexadecimal digits');
      const page = readPage(url, 'slug');
      if (typeof page === 'string') return problem(400, page);
      const result = await readCommitVersions(db, sha, {
        limit: page.limit,
        after: page.after?.slug ?? null,
      });
      if (result.ok) {
        const { commit, versions, more } = result.value;
        const last = versions.at(-1);
        const next = more && last ? encodeKeyset({ kind: 'slug', slug: last.slug }) : null;
        return json(200, { commit, limit: page.limit, next, versions });
      }
      if (result.reason === 'ambiguous')
        return json(400, {
          error: `ambiguous sha ${sha}: give more digits`,
          matches: result.matches,
        });
      return problem(
        404,
        `no recorded commit ${sha}: it produced no versions, or has not been synced`,
      );
    }),
  ];
}
