import { kindOf, makeChange, restated } from './change.js';
import { diffEnum } from './diffEnum.js';
import { diffGeneric } from './diffGeneric.js';
import { diffType } from './diffType.js';
import { isRecord, own, sameJson, unionKeys } from './sameJson.js';
import { itemsContext, propertyContext, type SchemaContext, subjectOf } from './schemaContext.js';
import type { Change } from './types.js';

/** Keywords with rules of their own; every other keyword is a patch (see diffGeneric). */
const RULED = new Set(['type', 'enum', 'properties', 'required', 'items']);

/**
 * Classified changes between two versions of one JSON Schema (an action's input or output, a
 * trigger's output), recursing through `properties` and `items`. An absent schema allows
 * anything, so it is compared as `{}`.
 */
export function diffSchema(old: unknown, next: unknown, ctx: SchemaContext): Change[] {
  if (sameJson(old, next)) return [];
  const before = old ?? {};
  const after = next ?? {};
  if (!isRecord(before) || !isRecord(after)) {
    const reason = `${subjectOf(ctx)} replaced by a schema the version rules cannot compare: treated as breaking`;
    return [makeChange(ctx.at, kindOf(old, next), 'major', reason)];
  }
  const changes = [
    ...diffType(before.type, after.type, ctx),
    ...diffEnum(before.enum, after.enum, ctx),
    ...diffProperties(before, after, ctx),
    ...diffItems(before.items, after.items, ctx),
    ...unionKeys(before, after)
      .filter((key) => !RULED.has(key))
      .flatMap((key) =>
        diffGeneric(own(before, key), own(after, key), [...ctx.at, key], [key], subjectOf(ctx)),
      ),
  ];
  return changes.length > 0 ? changes : restated(old, next, ctx.at, subjectOf(ctx));
}

/** Properties added, removed or changed, and properties that became required or optional. */
function diffProperties(
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  ctx: SchemaContext,
): Change[] {
  const before = isRecord(old.properties) ? old.properties : {};
  const after = isRecord(next.properties) ? next.properties : {};
  const wasRequired = requiredSet(old.required);
  const isRequired = requiredSet(next.required);
  const changes: Change[] = [];
  for (const key of unionKeys(before, after)) {
    const child = propertyContext(ctx, key);
    if (own(before, key) === undefined) changes.push(added(child, isRequired.has(key)));
    else if (own(after, key) === undefined) changes.push(removed(child));
    else {
      changes.push(...diffSchema(own(before, key), own(after, key), child));
      changes.push(...requiredness(wasRequired.has(key), isRequired.has(key), child));
    }
  }
  // Names in `required` without a property on either side still oblige callers.
  const loose = [...new Set([...wasRequired, ...isRequired])]
    .filter((key) => own(before, key) === undefined && own(after, key) === undefined)
    .sort();
  for (const key of loose) {
    const child = { ...propertyContext(ctx, key), at: [...ctx.at, 'required'] };
    changes.push(...requiredness(wasRequired.has(key), isRequired.has(key), child));
  }
  if (changes.length === 0 && !sameJson(old.required, next.required)) {
    const reason = `\`required\` of ${subjectOf(ctx)} rewritten with the same names: no effect`;
    changes.push(
      makeChange([...ctx.at, 'required'], kindOf(old.required, next.required), 'patch', reason),
    );
  }
  return changes;
}

function added(ctx: SchemaContext, required: boolean): Change {
  const subject = subjectOf(ctx);
  if (ctx.flow === 'output') {
    return makeChange(
      ctx.at,
      'added',
      'minor',
      `${subject} added: existing ${ctx.audience} are unaffected`,
    );
  }
  return required
    ? makeChange(
        ctx.at,
        'added',
        'major',
        `${subject} added as required: existing ${ctx.audience} that omit it would fail`,
      )
    : makeChange(
        ctx.at,
        'added',
        'minor',
        `${subject} added as optional: existing ${ctx.audience} are unaffected`,
      );
}

function removed(ctx: SchemaContext): Change {
  const effect =
    ctx.flow === 'input'
      ? `existing ${ctx.audience} that send it would fail or have it silently ignored`
      : `existing ${ctx.audience} that read it would break`;
  return makeChange(ctx.at, 'removed', 'major', `${subjectOf(ctx)} removed: ${effect}`);
}

/** Input: made required is major, made optional minor. Output: the reverse (it is a promise). */
function requiredness(was: boolean, is: boolean, ctx: SchemaContext): Change[] {
  if (was === is) return [];
  const subject = subjectOf(ctx);
  const unaffected = `existing ${ctx.audience} are unaffected`;
  if (ctx.flow === 'input') {
    return is
      ? [
          makeChange(
            ctx.at,
            'changed',
            'major',
            `${subject} is now required: existing ${ctx.audience} that omit it would fail`,
          ),
        ]
      : [makeChange(ctx.at, 'changed', 'minor', `${subject} is now optional: ${unaffected}`)];
  }
  return is
    ? [makeChange(ctx.at, 'changed', 'minor', `${subject} is now always present: ${unaffected}`)]
    : [
        makeChange(
          ctx.at,
          'changed',
          'major',
          `${subject} is no longer always present: existing ${ctx.audience} that rely on it would break`,
        ),
      ];
}

/** `items` follows the same rules; an absent `items` allows anything. */
function diffItems(old: unknown, next: unknown, ctx: SchemaContext): Change[] {
  if (sameJson(old, next)) return [];
  return diffSchema(old ?? {}, next ?? {}, itemsContext(ctx));
}

function requiredSet(value: unknown): Set<string> {
  if (!Array.isArray(value)) return new Set();
  return new Set(value.filter((item): item is string => typeof item === 'string'));
}
