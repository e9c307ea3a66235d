import { sameJson } from './sameJson.js';
import type { Bump, Change } from './types.js';

/** Path segments of a JSON pointer, unescaped, e.g. ['actions', 'send_email', 'input']. */
export type Segments = readonly string[];

/** RFC 6901 JSON pointer for the given segments ('' for the whole document). */
function toPointer(at: Segments): string {
  return at.map((segment) => `/${segment.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** One change at the given segments. */
export function makeChange(at: Segments, kind: Change['kind'], bump: Bump, reason: string): Change {
  return { path: toPointer(at), kind, bump, reason };
}

/** 'added' when there was nothing before, 'removed' when there is nothing after, else 'changed'. */
export function kindOf(old: unknown, next: unknown): Change['kind'] {
  if (old === undefined) return 'added';
  if (next === undefined) return 'removed';
  return 'changed';
}

/** A value quoted for a reason: strings as `text`, anything else as `JSON`. */
export function quote(value: unknown): string {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/**
 * The safety net: when two values differ but no rule explained the difference (e.g. `required: []`
 * against no `required`), one patch change, so a change in canonical content is never silent.
 */
export function restated(old: unknown, next: unknown, at: Segments, label: string): Change[] {
  if (sameJson(old, next)) return [];
  return [
    makeChange(
      at,
      kindOf(old, next),
      'patch',
      `${label} rewritten with the same meaning: no effect`,
    ),
  ];
}

/** Changes in a deterministic order: by path, then kind, then reason (code-unit order). */
export function sortChanges(changes: readonly Change[]): Change[] {
  return [...changes].sort(
    (a, b) => order(a.path, b.path) || order(a.kind, b.kind) || order(a.reason, b.reason),
  );
}

function order(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
