import { makeChange, quote } from './change.js';
import { canonicalText, sameJson } from './sameJson.js';
import { type SchemaContext, subjectOf } from './schemaContext.js';
import type { Change } from './types.js';

/**
 * The `enum` keyword of one schema, one change per value added or removed (all at `.../enum`).
 * Input: a value removed (or a list introduced) is major, a value added (or the list dropped) is
 * minor. Output: every enum change is minor: a value added is minor by the rule table, and a
 * value removed only promises less variety. Reordering is a patch.
 */
export function diffEnum(old: unknown, next: unknown, ctx: SchemaContext): Change[] {
  if (sameJson(old, next)) return [];
  const at = [...ctx.at, 'enum'];
  const subject = subjectOf(ctx);
  const unaffected = `existing ${ctx.audience} are unaffected`;
  const input = ctx.flow === 'input';
  if (!Array.isArray(old) && !Array.isArray(next)) {
    return [makeChange(at, 'changed', 'patch', `${subject} enum rewritten: not a list of values`)];
  }
  if (!Array.isArray(old)) {
    const list = (next as unknown[]).map(quote).join(', ') || 'no value at all';
    return input
      ? [
          added(
            `now restricted to ${list}: existing ${ctx.audience} sending other values would fail`,
          ),
        ]
      : [added(`now limited to ${list}: ${unaffected}`)];
  }
  if (!Array.isArray(next)) {
    const reason = input
      ? `no longer restricted to a list of values: ${unaffected}`
      : `no longer limited to a list of values: existing ${ctx.audience} may receive other values`;
    return [makeChange(at, 'removed', 'minor', `${subject} ${reason}`)];
  }
  const before = byText(old);
  const after = byText(next);
  const changes: Change[] = [];
  for (const [text, value] of after) {
    if (before.has(text)) continue;
    const reason = input
      ? `accepts new value ${quote(value)}: ${unaffected}`
      : `may now be ${quote(value)}: existing ${ctx.audience} should handle the new value`;
    changes.push(makeChange(at, 'added', 'minor', `${subject} ${reason}`));
  }
  for (const [text, value] of before) {
    if (after.has(text)) continue;
    changes.push(
      input
        ? makeChange(
            at,
            'removed',
            'major',
            `${subject} no longer accepts value ${quote(value)}: existing ${ctx.audience} sending it would fail`,
          )
        : makeChange(
            at,
            'removed',
            'minor',
            `${subject} is no longer ${quote(value)}: ${unaffected}`,
          ),
    );
  }
  if (changes.length > 0) return changes;
  return [makeChange(at, 'changed', 'patch', `${subject} enum values reordered: no effect`)];

  function added(reason: string): Change {
    return makeChange(at, 'added', input ? 'major' : 'minor', `${subject} ${reason}`);
  }
}

/** Enum values keyed by canonical JSON, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one value. */
function byText(values: readonly unknown[]): Map<string, unknown> {
  return new Map(values.map((value) => [canonicalText(value), value]));
}
