import type { Segments } from './change.js';

/**
 * Where a JSON Schema sits in a manifest. `flow` decides the rules: an `input` is written by
 * callers, so accepting less breaks them; an `output` (an action's result, a trigger's event) is
 * read by consumers, so promising less breaks them.
 */
export interface SchemaContext {
  flow: 'input' | 'output';
  /** Whose schema it is, e.g. "action `send_email`". */
  owner: string;
  /** Who depends on it, plural: 'callers', 'consumers' or 'subscribers'. */
  audience: string;
  /** Segments of the pointer to this schema. */
  at: Segments;
  /** Dotted property path inside the input/output ('' at its root; `[]` marks array items). */
  name: string;
}

/** How a reason names the schema, e.g. "input property `deal.value` of action `create_deal`". */
export function subjectOf(ctx: SchemaContext): string {
  if (ctx.name === '') return `${ctx.flow} of ${ctx.owner}`;
  return `${ctx.flow} property \`${ctx.name}\` of ${ctx.owner}`;
}

/** The context of property `key` of this schema. */
export function propertyContext(ctx: SchemaContext, key: string): SchemaContext {
  const name = ctx.name === '' ? key : `${ctx.name}.${key}`;
  return { ...ctx, at: [...ctx.at, 'properties', key], name };
}

/** The context of this schema's `items`. */
export function itemsContext(ctx: SchemaContext): SchemaContext {
  return { ...ctx, at: [...ctx.at, 'items'], name: `${ctx.name}[]` };
}
