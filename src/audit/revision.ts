/**
 * A revision as `show --at` and `GET /api/connectors/{slug}?at=` both accept it: a sha, branch or
 * tag, optionally followed by `~N` or `^N` steps (`HEAD~3`, `v2.3^`, `main~2^2`). No `..` ranges,
 * no `@{…}` reflog forms, nothing that starts like an option.
 */
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}(?:[~^]\d{0,6})*$/;

/** Null when `revision` is acceptable; otherwise the sentence saying what is expected. */
export function checkRevision(revision: string): string | null {
  if (REVISION.test(revision) && !revision.includes('..') && !revision.includes('//')) return null;
  return 'invalid revision: a commit sha, branch or tag, optionally followed by ~N or ^N (HEAD~3)';
}
