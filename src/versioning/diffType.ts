import { kindOf, makeChange } from './change.js';
import { sameJson } from './sameJson.js';
import { type SchemaContext, subjectOf } from './schemaContext.js';
import type { Bump, Change } from './types.js';

/** How the set of allowed types moved: no `type` at all allows every type. */
type Movement = 'same' | 'widened' | 'narrowed' | 'changed';

/**
 * The `type` keyword of one schema. Input: widening (string -> [string, null], integer -> number,
 * dropping `type`) is minor, anything else major. Output: narrowing is minor, anything else major.
 * The same types written differently (order, 'string' vs ['string']) are a patch.
 */
export function diffType(old: unknown, next: unknown, ctx: SchemaContext): Change[] {
  if (sameJson(old, next)) return [];
  const before = typeSet(old);
  const after = typeSet(next);
  const movement = moveOf(before, after);
  const at = [...ctx.at, 'type'];
  const kind = kindOf(old, next);
  const subject = subjectOf(ctx);
  const from = `from ${show(before)} to ${show(after)}`;
  if (movement === 'same') {
    return [makeChange(at, kind, 'patch', `${subject} type rewritten ${from}: same meaning`)];
  }
  const [bump, reason] = rule(movement, ctx, from, show(before));
  return [makeChange(at, kind, bump, `${subject} type ${reason}`)];
}

function rule(movement: Movement, ctx: SchemaContext, from: string, was: string): [Bump, string] {
  const unaffected = `existing ${ctx.audience} are unaffected`;
  if (ctx.flow === 'input') {
    if (movement === 'widened') return ['minor', `widened ${from}: ${unaffected}`];
    return ['major', `${movement} ${from}: existing ${ctx.audience} sending ${was} would fail`];
  }
  if (movement === 'narrowed') return ['minor', `narrowed ${from}: ${unaffected}`];
  return ['major', `${movement} ${from}: existing ${ctx.audience} expecting ${was} would break`];
}

/** The allowed types, or null when unconstrained (no `type`, or not a string / string array). */
function typeSet(value: unknown): Set<string> | null {
  if (typeof value === 'string') return new Set([value]);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return new Set(value);
  }
  return null;
}

function moveOf(before: Set<string> | null, after: Set<string> | null): Movement {
  if (before === null) return after === null ? 'same' : 'narrowed';
  if (after === null) return 'widened';
  const wider = [...before].every((type) => covers(after, type));
  const narrower = [...after].every((type) => covers(before, type));
  if (wider && narrower) return 'same';
  if (wider) return 'widened';
  return narrower ? 'narrowed' : 'changed';
}

/** Whether a set of types admits every value of `type` (every integer is a number). */
function covers(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

function show(types: Set<string> | null): string {
  if (types === null) return 'any type';
  return `\`${[...types].sort().join(' | ')}\``;
}
