/** Splits `slug@version` (a version of '' or none is null: the latest). */
export function parseVersionRef(ref: string): { slug: string; version: string | null } {
  const at = ref.lastIndexOf('@');
  return at < 0
    ? { slug: ref, version: null }
    : { slug: ref.slice(0, at), version: ref.slice(at + 1) || null };
}
