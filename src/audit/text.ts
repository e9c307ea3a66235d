/** A short sha for people (10 characters, as `status` prints them); '-' for none. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 10) : '-';
}

/** A commit message's subject: its first line. */
export function subjectOf(message: string): string {
  const newline = message.indexOf('\n');
  return (newline < 0 ? message : message.slice(0, newline)).trim();
}

/** A UTC date and minute, `2026-01-31 09:30`: enough for people, unambiguous across zones. */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

/** What a version without a commit says instead of one. */
export const NO_COMMIT = 'no commit (made before manifest-sync)';
