import { formatDate, NO_COMMIT, shortSha, subjectOf } from './text.js';
import type { ConnectorSummary, VersionRecord } from './types.js';

/** The head line for a connector: slug, name, status, how many versions, which is latest. */
function formatConnectorLine(connector: ConnectorSummary): string {
  const latest = connector.latest ? `latest ${connector.latest.version}` : 'no latest version';
  const owner = connector.isPlatform ? '' : ", a user's connector";
  return `${connector.slug}  ${connector.name} (${connector.status}${owner}): ${connector.versionCount} version(s), ${latest}`;
}

/** The columns of one version's line, before padding. */
function columns(v: VersionRecord): string[] {
  const version = v.latest ? `${v.version} *` : v.yanked ? `${v.version} yanked` : v.version;
  if (!v.commit) return [version, NO_COMMIT];
  const sha = v.commit.reachable ? shortSha(v.commit.sha) : `${shortSha(v.commit.sha)}!`;
  return [
    version,
    sha,
    formatDate(v.commit.authoredAt),
    `${v.commit.authorName} <${v.commit.authorEmail}>`,
    v.bump ?? '-',
    subjectOf(v.commit.message),
  ];
}

/**
 * A connector's history for people: one line per version, newest first (version, short sha,
 * author date in UTC, author, bump, subject), each followed by its reasons and wheel. `*` marks the
 * latest version, `!` a commit no longer on the branch.
 */
export function formatHistory(
  connector: ConnectorSummary,
  history: readonly VersionRecord[],
): string[] {
  const lines = [formatConnectorLine(connector)];
  if (history.length === 0) return [...lines, '  no versions'];
  const rows = history.map(columns);
  const widths: number[] = [];
  for (const row of rows) {
    // Rows without a commit have two columns; their text must not widen the sha column.
    if (row.length < 3) continue;
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  widths[0] = Math.max(...rows.map((row) => row[0]?.length ?? 0));
  history.forEach((v, i) => {
    const row = rows[i] ?? [];
    const cells = row.map((cell, c) => (c < row.length - 1 ? cell.padEnd(widths[c] ?? 0) : cell));
    lines.push(`  ${cells.join('  ')}`.trimEnd());
    const indent = ' '.repeat((widths[0] ?? 0) + 4);
    for (const reason of v.reasons) lines.push(`${indent}- ${reason}`);
    if (v.wheelUrl !== null) lines.push(`${indent}wheel ${v.wheelUrl}`);
  });
  if (history.some((v) => v.commit && !v.commit.reachable))
    lines.push('  ! the commit is no longer on the branch (history was rewritten)');
  return lines;
}
