import { kindOf, makeChange, type Segments } from './change.js';
import { isRecord, own, sameJson, unionKeys } from './sameJson.js';
import type { Change } from './types.js';

/** Keys that only describe or label things: a change to them has no effect on callers. */
const DESCRIPTIVE = new Set([
  '$comment',
  '$schema',
  'category',
  'description',
  'examples',
  'name',
  'status',
  'title',
]);

/**
 * Patch-level changes for values no major or minor rule covers (names, descriptions, `x-`
 * extensions, OAuth URLs, JSON Schema keywords such as `format`): objects are walked key by key,
 * anything else (scalars, arrays) is one change at its own path.
 *
 * @param rel key path below the owner, for the reason, e.g. ['x-http', 'method']
 * @param owner whose value it is, e.g. "action `send_email`"; absent at the top level
 * @param effect what the change means for users; a default is chosen from the first key
 */
export function diffGeneric(
  old: unknown,
  next: unknown,
  at: Segments,
  rel: readonly string[],
  owner?: string,
  effect?: string,
): Change[] {
  if (sameJson(old, next)) return [];
  if (isRecord(old) && isRecord(next)) {
    return unionKeys(old, next).flatMap((key) =>
      diffGeneric(own(old, key), own(next, key), [...at, key], [...rel, key], owner, effect),
    );
  }
  const kind = kindOf(old, next);
  const label = `\`${rel.join('.')}\`${owner === undefined ? '' : ` of ${owner}`}`;
  return [makeChange(at, kind, 'patch', `${label} ${kind}: ${effect ?? effectOf(rel[0])}`)];
}

function effectOf(key: string | undefined): string {
  if (key === undefined) return 'no effect on callers or connections';
  if (key.startsWith('x-')) return 'an extension outside the contract, no effect on callers';
  if (DESCRIPTIVE.has(key)) return 'descriptive only, no effect on callers or connections';
  return 'not covered by a major or minor rule';
}
