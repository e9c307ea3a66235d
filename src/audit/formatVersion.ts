import { formatDate, NO_COMMIT } from './text.js';
import type { VersionAt, VersionDetail } from './types.js';

/** How `show --at` found its answer, for people. */
export function describeVersionAt(
  slug: string,
  revision: string,
  sha: string,
  at: Extract<VersionAt, { found: true }>,
): string {
  const named = revision === sha ? sha : `${revision} (${sha})`;
  const how = at.deleted
    ? `its manifest is absent there (deleted: the connector was deprecated); ${at.version.version} was its last version`
    : at.basis === 'content'
      ? `the manifest there has the content of ${at.version.version}`
      : `${at.version.version} is the newest version made on its history (the manifest there differs from it: refused or not synced)`;
  return `${slug} at ${named}: ${at.version.version}; ${how}`;
}

/** One version's provenance and manifest for people. */
export function formatVersion(detail: VersionDetail): string[] {
  const marks = `${detail.latest ? ' (latest)' : ''}${detail.yanked ? ' (yanked by an operator)' : ''}`;
  const lines = [`${detail.slug}@${detail.version}${marks}`];
  const commit = detail.commit;
  if (commit) {
    lines.push(
      `commit     ${commit.sha}${commit.reachable ? '' : ' (no longer on the branch: history was rewritten)'}`,
      `author     ${commit.authorName} <${commit.authorEmail}>`,
      `authored   ${formatDate(commit.authoredAt)} UTC`,
      `committed  ${formatDate(commit.committedAt)} UTC`,
    );
  } else {
    lines.push(`commit     ${NO_COMMIT}`);
  }
  lines.push(
    `created    ${formatDate(detail.createdAt)} UTC`,
    `bump       ${detail.bump ?? '-'}`,
    `auth mode  ${detail.authMode ?? '-'}`,
    `content    ${detail.contentHash ?? '-'}`,
    `wheel      ${detail.wheelUrl ?? '-'}`,
  );
  if (detail.reasons.length > 0) {
    lines.push('reasons');
    for (const reason of detail.reasons) lines.push(`  - ${reason}`);
  }
  if (commit) {
    lines.push('message');
    for (const line of commit.message.split('\n')) lines.push(`  ${line}`.trimEnd());
  }
  lines.push('manifest', JSON.stringify(detail.manifest, null, 2));
  return lines;
}
