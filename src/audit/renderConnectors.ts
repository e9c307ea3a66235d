import { commitLink, escapeHtml } from './html.js';
import { formatDate, NO_COMMIT, subjectOf } from './text.js';
import type { ConnectorSummary, VersionRecord } from './types.js';

/**
 * A version's wheel: a link when it is an https URL (as manifest-sync writes them); a row made by
 * hand may hold anything, so anything else is shown as text, never as a link.
 */
function renderWheel(wheelUrl: string | null): string {
  if (wheelUrl === null) return '<td class="wheel none">-</td>';
  const text = `<code>${escapeHtml(wheelUrl)}</code>`;
  if (!/^https:\/\/[^\s"'<>]+$/.test(wheelUrl)) return `<td class="wheel">${text}</td>`;
  return `<td class="wheel"><a href="${escapeHtml(wheelUrl)}" rel="noreferrer">${text}</a></td>`;
}

/** One version as a table row (`tr.version`). */
function renderVersion(v: VersionRecord, commitUrl: string | null): string {
  const c = v.commit;
  const reasons = v.reasons.length
    ? `<ul>${v.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
    : '';
  const latest =
    (v.latest ? ' <span class="badge">latest</span>' : '') +
    (v.yanked ? ' <span class="badge warn yanked">yanked</span>' : '');
  const provenance = c
    ? `<td class="sha${c.reachable ? '' : ' unreachable'}"${c.reachable ? '' : ' title="no longer on the branch: history was rewritten"'}>${commitLink(c.sha, commitUrl)}${c.reachable ? '' : ' <span class="badge warn">unreachable</span>'}</td>` +
      `<td class="author">${escapeHtml(c.authorName)} <span class="email">&lt;${escapeHtml(c.authorEmail)}&gt;</span></td>` +
      `<td class="date"><time datetime="${c.authoredAt.toISOString()}">${formatDate(c.authoredAt)}</time></td>` +
      `<td class="subject">${escapeHtml(subjectOf(c.message))}</td>`
    : `<td class="sha none" colspan="4">${escapeHtml(NO_COMMIT)}</td>`;
  return (
    `<tr class="version" data-version="${escapeHtml(v.version)}">` +
    `<td class="number">${escapeHtml(v.version)}${latest}</td>${provenance}` +
    `<td class="bump bump-${escapeHtml(v.bump ?? 'unknown')}">${escapeHtml(v.bump ?? '-')}</td>` +
    renderWheel(v.wheelUrl) +
    `<td class="reasons">${reasons}</td></tr>`
  );
}

/** Versions as a `table.versions`, or a note when there are none. */
export function renderVersionTable(
  versions: readonly VersionRecord[],
  commitUrl: string | null,
): string {
  const rows = versions.map((v) => renderVersion(v, commitUrl)).join('\n');
  return versions.length
    ? `<table class="versions"><thead><tr><th>Version</th><th>Commit</th><th>Author</th><th>Date (UTC)</th><th>Subject</th><th>Bump</th><th>Wheel</th><th>Reasons</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p class="empty">no versions</p>';
}

/** Where a connector's full history is served (`GET /connectors/{slug}`). */
export function historyHref(slug: string): string {
  return `/connectors/${encodeURIComponent(slug)}`;
}

/**
 * One connector as a `<details class="connector">` that expands to its recent versions, with a
 * link to the full history when there are more.
 */
function renderConnector(
  connector: ConnectorSummary,
  history: readonly VersionRecord[],
  commitUrl: string | null,
): string {
  const slug = escapeHtml(connector.slug);
  const latest = connector.latest ? escapeHtml(connector.latest.version) : 'none';
  const mode = connector.latest?.authMode;
  const auth = mode ? ` <span class="auth" title="auth mode">${escapeHtml(mode)}</span>` : '';
  const older = connector.versionCount - history.length;
  const more =
    older > 0
      ? `<p class="more"><a class="history" href="${escapeHtml(historyHref(connector.slug))}">all ${connector.versionCount} versions</a> (${older} older not shown)</p>`
      : '';
  const table = renderVersionTable(history, commitUrl);
  return (
    `<details class="connector" id="connector-${slug}" data-slug="${slug}">` +
    `<summary><span class="slug">${slug}</span> <span class="name">${escapeHtml(connector.name)}</span> ` +
    `<span class="state state-${escapeHtml(connector.status)}">${escapeHtml(connector.status)}</span> ` +
    `<span class="latest">${latest}</span>${auth} <span class="count">${connector.versionCount} version(s)</span></summary>
` +
    `${table}${more}</details>`
  );
}

/**
 * One page of the connector list: a search form, each connector expanding to its recent versions
 * (newest first), and a link to the next page. `histories` holds each connector's recent versions.
 */
export function renderConnectors(options: {
  connectors: readonly ConnectorSummary[];
  /** How many connectors match in all. */
  total: number;
  histories: ReadonlyMap<string, readonly VersionRecord[]>;
  commitUrl: string | null;
  /** The search the list is filtered by, if any. */
  search?: string | null;
  /** The next page's `?after=` token, when more connectors follow. */
  next?: string | null;
}): string {
  const { connectors, total } = options;
  const search = options.search ?? null;
  const query = (after: string) =>
    `?${new URLSearchParams({ ...(search ? { q: search } : {}), after }).toString()}`;
  const form = `<form class="search" method="get" action="/"><input type="search" name="q" value="${escapeHtml(search ?? '')}" placeholder="slug or name" aria-label="search connectors"> <button type="submit">Search</button>${search ? ' <a href="/">clear</a>' : ''}</form>`;
  const shown =
    connectors.length < total
      ? `<p class="note">showing ${connectors.length} of ${total}${search ? ` matching “${escapeHtml(search)}”` : ''}</p>`
      : '';
  const next = options.next
    ? `<p class="pages"><a class="next" rel="next" href="${escapeHtml(query(options.next))}">next page</a></p>`
    : '';
  const items = connectors
    .map((c) => renderConnector(c, options.histories.get(c.slug) ?? [], options.commitUrl))
    .join('\n');
  const empty = search ? 'no connector matches' : 'no connectors yet';
  return `<section id="connectors"><h2>Connectors <span class="total">${total}</span></h2>${form}${shown}\n${items || `<p class="empty">${empty}</p>`}\n${next}</section>`;
}
