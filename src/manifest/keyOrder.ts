import schema from './manifest.schema.json' with { type: 'json' };

/** A JSON Schema object, as far as the key order needs to read one. */
type SchemaNode = Record<string, unknown>;

/** An object's known keys in the order the schema declares them, and the schema of each child. */
interface ObjectShape {
  keys: readonly string[];
  /** Each key's place in `keys`. */
  rank: ReadonlyMap<string, number>;
  child: (key: string) => SchemaNode | null;
  items: SchemaNode | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const defs = schema.$defs as Record<string, SchemaNode>;

/** Follows `$ref` (`#/$defs/…` only), so the node's own keywords and its target's can be merged. */
function target(node: SchemaNode): SchemaNode | null {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return null;
  return defs[ref.slice('#/$defs/'.length)] ?? null;
}

/**
 * What a schema node says about an object's keys: `properties` (its target's first, then its
 * own), the map value of `additionalProperties`, and the `items` of an array; an `anyOf` is
 * read through its first branch that describes objects (a schema or `true`).
 */
function shapeOf(node: SchemaNode | null, depth = 0): ObjectShape | null {
  if (!node || depth > 8) return null;
  const known = shapes.get(node);
  if (known !== undefined) return known;
  const shape = readShape(node, depth);
  shapes.set(node, shape);
  return shape;
}

/** Each schema node's shape, read once: `orderManifestKeys` asks for it at every value. */
const shapes = new WeakMap<SchemaNode, ObjectShape | null>();

function readShape(node: SchemaNode, depth: number): ObjectShape | null {
  const referred = shapeOf(target(node), depth + 1);
  const own = isRecord(node.properties) ? node.properties : {};
  const keys = [...(referred?.keys ?? []), ...Object.keys(own)].filter(
    (key, index, all) => all.indexOf(key) === index,
  );
  const additional = isRecord(node.additionalProperties) ? node.additionalProperties : null;
  const items = isRecord(node.items) ? node.items : (referred?.items ?? null);
  const branches = Array.isArray(node.anyOf) ? node.anyOf.filter(isRecord) : [];
  const branch = branches.map((b) => shapeOf(b, depth + 1)).find((s) => s && s.keys.length > 0);
  if (!referred && keys.length === 0 && !additional && !items) return branch ?? null;
  const patterns = Object.keys(isRecord(node.patternProperties) ? node.patternProperties : {}).map(
    (pattern) => new RegExp(pattern, 'u'),
  );
  return {
    keys,
    rank: new Map(keys.map((key, index) => [key, index])),
    child: (key) => {
      const declared = own[key];
      if (isRecord(declared)) return declared;
      // Extension keys (`^x-`) are free-form: nothing to order them by.
      if (patterns.some((pattern) => pattern.test(key))) return null;
      return referred?.child(key) ?? additional;
    },
    items,
  };
}

const MANIFEST = shapeOf(schema as SchemaNode);
const NO_RANK: ReadonlyMap<string, number> = new Map();

function order<T>(value: T, shape: ObjectShape | null): T {
  if (Array.isArray(value)) {
    const items = shape?.items ? shapeOf(shape.items) : null;
    return value.map((item) => order(item, items)) as T;
  }
  if (!isRecord(value)) return value;
  const rank = shape?.rank ?? NO_RANK;
  const last = rank.size;
  const keys = Object.keys(value).sort(
    (a, b) => (rank.get(a) ?? last) - (rank.get(b) ?? last) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const ordered: Record<string, unknown> = {};
  for (const key of keys) {
    // defineProperty, not assignment: an own `__proto__` key (e.g. from JSON.parse) must stay data.
    Object.defineProperty(ordered, key, {
      value: order(value[key], shape ? shapeOf(shape.child(key)) : null),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return ordered as T;
}

/**
 * A copy of a manifest with every object's keys in the order `manifest.schema.json` declares
 * them for that object (the manifest: name, slug, version, …, auth_mode and its blocks,
 * connection_settings, actions, triggers, wheel_url; an action: name, description, input,
 * output; each auth block and property schema likewise), for printing: the database (jsonb)
 * hands keys back ordered by length, which reads as noise. Keys the schema does not name
 * (`x-` extensions, ids of actions, settings and properties) follow, sorted.
 */
export function orderManifestKeys<T>(value: T): T {
  return order(value, MANIFEST);
}
