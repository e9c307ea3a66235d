import type { ActionRecord } from '../audit/actionTypes.js';
import { orderNewestFirst } from '../audit/orderVersions.js';
import type {
  CommitRecord,
  ConnectorSummary,
  VersionDetail,
  VersionRecord,
} from '../audit/types.js';
import { ConfigError, DatabaseError } from '../errors.js';
import type { ActionLog, Reader } from './reader.js';
import type { SyncStatus } from './readStatus.js';
import type { VersionAtRevision } from './readVersionAtRevision.js';

/** The read API's largest page (`PAGE.max` in src/daemon/api.ts). */
const PAGE_MAX = 500;

/** Dates travel as ISO strings: these make the daemon's answers the very values the database gives. */
const date = (value: unknown): Date => new Date(value as string);
const maybeDate = (value: unknown): Date | null => (value == null ? null : date(value));

function reviveCommit(commit: CommitRecord | null): CommitRecord | null {
  return commit === null
    ? null
    : { ...commit, authoredAt: date(commit.authoredAt), committedAt: date(commit.committedAt) };
}

function reviveVersion<V extends VersionRecord>(version: V): V {
  return { ...version, createdAt: date(version.createdAt), commit: reviveCommit(version.commit) };
}

function reviveConnector(connector: ConnectorSummary): ConnectorSummary {
  return {
    ...connector,
    createdAt: date(connector.createdAt),
    latest: connector.latest === null ? null : reviveVersion(connector.latest),
  };
}

function reviveAction(action: ActionRecord): ActionRecord {
  return { ...action, at: date(action.at), until: maybeDate(action.until) };
}

/** A row of a sync_* table: every `*_at` column is a timestamp. */
function reviveRow<T extends object>(row: T | null): T | null {
  if (row === null) return null;
  const copy = { ...row } as Record<string, unknown>;
  for (const key of Object.keys(copy)) if (key.endsWith('_at')) copy[key] = maybeDate(copy[key]);
  return copy as T;
}

function reviveStatus(status: SyncStatus): SyncStatus {
  return {
    ...status,
    cursorUpdatedAt: maybeDate(status.cursorUpdatedAt),
    lastRun: reviveRow(status.lastRun),
    control: reviveRow(status.control),
    refusals: status.refusals.map((refusal) => reviveRow(refusal) as typeof refusal),
  };
}

/** How long one request to the daemon may take, answer included. */
const DAEMON_TIMEOUT_MS = 10_000;

/** The JSON in a body, or undefined when it holds none. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A {@link Reader} through a running daemon's read API (`/api/...`): for when the daemon holds
 * the embedded store, which one process can open at a time. Its answers are the daemon's reads
 * of its database, so commands print what they would print reading the database themselves.
 */
export function daemonReader(baseUrl: string, options: { timeoutMs?: number } = {}): Reader {
  const timeoutMs = options.timeoutMs ?? DAEMON_TIMEOUT_MS;
  /** GETs a path: the JSON of a 200, null for a 404 (or a 400: a name no row can have). */
  async function get<T>(path: string): Promise<T | null> {
    let response: Response;
    let text: string;
    try {
      // Bounded in time, headers and body alike: a listener that never answers is not a daemon.
      // no-cache: a command reads what the daemon knows now, not an answer it keeps for pollers
      // (its settle window); it still costs at most one read per pass.
      response = await fetch(new URL(path, baseUrl), {
        headers: { accept: 'application/json', 'cache-control': 'no-cache' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new DatabaseError(
        `cannot reach the daemon at ${baseUrl}: ${(error as Error).cause ?? (error as Error).message}`,
        { cause: error },
      );
    }
    const body = parseJson(text);
    if (response.ok) {
      if (body === undefined)
        throw new DatabaseError(`the daemon at ${baseUrl} answered ${path} with no JSON`);
      return body as T;
    }
    if (response.status === 404 || response.status === 400) return null;
    const { error, reason } = (body ?? {}) as { error?: string; reason?: string };
    const detail = [error, reason].filter(Boolean).join(': ') || 'no detail';
    if (response.status >= 500)
      throw new DatabaseError(`the daemon at ${baseUrl} answered ${response.status}: ${detail}`);
    throw new ConfigError(`the daemon at ${baseUrl} answered ${response.status}: ${detail}`);
  }
  const slugPath = (slug: string) => `/api/connectors/${encodeURIComponent(slug)}`;

  const reader: Reader = {
    repositoryName: `the repository of the daemon at ${baseUrl}`,
    async readStatus() {
      const status = await get<SyncStatus>('/api/status');
      if (status === null)
        throw new ConfigError(`the daemon at ${baseUrl} serves no /api/status (an older version?)`);
      return reviveStatus(status);
    },
    async readConnector(slug) {
      const connector = await get<ConnectorSummary>(slugPath(slug));
      return connector === null ? null : reviveConnector(connector);
    },
    async readVersionHistory(slug) {
      const versions: VersionRecord[] = [];
      let after: string | null = null;
      do {
        const query = new URLSearchParams({ limit: String(PAGE_MAX) });
        if (after !== null) query.set('after', after);
        const page: { next: string | null; versions: VersionRecord[] } | null = await get(
          `${slugPath(slug)}/versions?${query}`,
        );
        if (page === null) return null;
        versions.push(...page.versions.map(reviveVersion));
        after = page.next;
      } while (after !== null);
      // The API pages by (created_at, id); the history's order breaks ties by higher semver.
      return orderNewestFirst(versions);
    },
    async readVersion({ slug, version }) {
      const detail = await get<VersionDetail>(
        `${slugPath(slug)}/versions/${encodeURIComponent(version)}`,
      );
      return detail === null ? null : reviveVersion(detail);
    },
    async readVersionAtRevision({ slug, revision }): Promise<VersionAtRevision> {
      const answer = await get<{ at: AtJson }>(
        `${slugPath(slug)}?${new URLSearchParams({ at: revision })}`,
      );
      if (answer === null)
        return (await reader.readConnector(slug)) === null
          ? { kind: 'unknown-slug' }
          : { kind: 'unknown-revision' };
      const { at } = answer;
      return {
        kind: 'answer',
        sha: at.sha,
        at:
          at.version === null
            ? { found: false, reason: at.reason ?? '' }
            : {
                found: true,
                version: reviveVersion(at.version),
                basis: at.basis ?? 'history',
                deleted: at.deleted ?? false,
              },
      };
    },
    async readOperatorActions(filter): Promise<ActionLog> {
      const wanted = filter.limit ?? 100;
      const actions: ActionRecord[] = [];
      let total = 0;
      for (let offset = filter.offset ?? 0; actions.length < wanted; ) {
        const query = new URLSearchParams({
          limit: String(Math.min(PAGE_MAX, wanted - actions.length)),
          offset: String(offset),
        });
        if (filter.slug !== undefined) query.set('slug', filter.slug);
        const page = await get<ActionLog>(`/api/audit-log?${query}`);
        if (page === null) throw new ConfigError(`the daemon at ${baseUrl} serves no audit log`);
        total = page.total;
        actions.push(...page.actions.map(reviveAction));
        offset += page.actions.length;
        if (page.actions.length === 0 || offset >= total) break;
      }
      return { total, actions };
    },
    // Listing every slug is not something a read API should answer: no "did you mean" here.
    readSlugs: async () => [],
  };
  return reader;
}

/** The `at` member of `GET /api/connectors/{slug}?at=REV`. */
interface AtJson {
  sha: string;
  version: VersionRecord | null;
  basis?: 'content' | 'history';
  deleted?: boolean;
  reason?: string;
}
