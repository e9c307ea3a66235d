/**
 * JSON helpers for the diff: equality that ignores key order (so formatting and key order never
 * produce a change) but keeps array order, as the canonical form of a manifest does.
 */

/** True when `value` is a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether two JSON values are equal, ignoring object key order; a member set to `undefined` counts as absent. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameJson(item, b[index]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = definedKeys(a);
  if (keys.length !== definedKeys(b).length) return false;
  return keys.every((key) => own(b, key) !== undefined && sameJson(a[key], own(b, key)));
}

/** Canonical JSON text of a value (keys sorted, array order kept): a set key for enum values. */
export function canonicalText(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (!isRecord(value)) return JSON.stringify(value);
  const members = definedKeys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalText(value[key])}`);
  return `{${members.join(',')}}`;
}

/** The keys present in either object, sorted (code-unit order, so the result is deterministic). */
export function unionKeys(a: unknown, b: unknown): string[] {
  const keys = new Set<string>();
  if (isRecord(a)) for (const key of definedKeys(a)) keys.add(key);
  if (isRecord(b)) for (const key of definedKeys(b)) keys.add(key);
  return [...keys].sort();
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

/** A member of a JSON object, or undefined: own keys only, so `__proto__` or `toString` never read the prototype. */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
