import type { Kysely } from 'kysely';
import semver from 'semver';
import { listConnectors } from '../db/operations/audit/listConnectors.js';
import { readCommitVersions } from '../db/operations/audit/readCommitVersions.js';
import { readConnector } from '../db/operations/audit/readConnector.js';
import { readVersion } from '../db/operations/audit/readVersion.js';
import { readVersionHistory } from '../db/operations/audit/readVersionHistory.js';
import type { Schema } from '../db/schema.js';
import type { GitRepository } from '../git/index.js';
import { SLUG_PATTERN } from '../manifest/index.js';
import { readVersionAtRevision } from '../sync/readVersionAtRevision.js';
import { type HttpResponse, json, type Route, type RouteRequest } from './http.js';

/** What the read API reads from. */
export interface ApiDeps {
  db: Kysely<Schema>;
  /** Needed only for `GET /api/connectors/:slug?at=REV`; without it that query is a 400. */
  repository?: () => GitRepository | null;
  /** The manifest directory, relative to the repository root. @default 'manifests' */
  manifestDir?: string;
}

/** Page size of `GET /api/connectors`. @default 50, at most 500 */
export const PAGE = { default: 50, max: 500 } as const;

const SHA = /^[0-9a-fA-F]{4,64}$/;
// A sha, branch or tag name: no revision expressions, no option-like or `..` names.
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
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

function readCount(url: URL, name: string, fallback: number, max: number): number | string {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = COUNT.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= (name === 'limit' ? 1 : 0) && value <= max))
    return `invalid ${name}: an integer from ${name === 'limit' ? 1 : 0} to ${max}`;
  return value;
}

/**
 * The read API over the audit trail: connectors (paged), one connector (optionally the version
 * live at `?at=REV`), its versions, one version with its manifest, and the versions a commit
 * produced. JSON; 400 for malformed parameters (checked before any SQL), 404 for unknown names.
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

  return [
    route('/api/connectors', async ({ url }) => {
      const limit = readCount(url, 'limit', PAGE.default, PAGE.max);
      const offset = readCount(url, 'offset', 0, 1e9);
      if (typeof limit === 'string') return problem(400, limit);
      if (typeof offset === 'string') return problem(400, offset);
      return json(200, await listConnectors(db, { limit, offset }));
    }),
    route('/api/connectors/:slug', async ({ params, url }) => {
      const invalid = checkSlug(params.slug);
      const slug = params.slug ?? '';
      if (invalid) return problem(400, invalid);
      const revision = url.searchParams.get('at');
      if (revision !== null && (!REVISION.test(revision) || revision.includes('..')))
        return problem(400, 'invalid at: a commit sha, branch or tag name');
      const connector = await readConnector(db, slug);
      if (!connector) return problem(404, `no connector has the slug ${slug}`);
      if (revision === null) return json(200, connector);
      const result = await connectorAt(slug, revision);
      return result.ok ? json(200, { ...connector, at: result.at }) : result.response;
    }),
    route('/api/connectors/:slug/versions', async ({ params }) => {
      const invalid = checkSlug(params.slug);
      const slug = params.slug ?? '';
      if (invalid) return problem(400, invalid);
      const versions = await readVersionHistory(db, slug);
      if (!versions) return problem(404, `no connector has the slug ${slug}`);
      return json(200, { slug, versions });
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
    route('/api/commits/:sha', async ({ params }) => {
      const sha = params.sha ?? '';
      if (!SHA.test(sha)) return problem(400, 'invalid sha: 4 to 64 hexadecimal digits');
      const result = await readCommitVersions(db, sha);
      if (result.ok) return json(200, result.value);
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
