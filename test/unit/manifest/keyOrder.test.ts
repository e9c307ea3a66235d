import { describe, expect, it } from 'vitest';
import { manifestSchema, orderManifestKeys, pointerSegments } from '../../../src/manifest/index.js';

type Json = Record<string, unknown>;
const schema = manifestSchema as unknown as Json & {
  properties: Json;
  $defs: Record<string, Json>;
};

/** The keys a schema object declares, in its order. */
function declared(node: Json): string[] {
  return Object.keys(node.properties as Json);
}

/** An object with every key of `keys`, written in reverse (as jsonb or a careless editor might). */
function reversed(keys: string[], values: Json = {}): Json {
  return Object.fromEntries([...keys].reverse().map((key) => [key, values[key] ?? 'x']));
}

const defs = schema.$defs;
const propertySchema = declared(defs.propertySchema as Json);
const leaf = reversed(['type', 'description']);
const property = reversed(propertySchema, {
  items: leaf,
  properties: { zeta: leaf, alpha: leaf },
  additionalProperties: leaf,
  anyOf: [leaf],
  oneOf: [leaf],
  allOf: [leaf],
  enum: ['a'],
  required: ['zeta'],
});
const input = reversed(declared(defs.objectSchema as Json).concat(propertySchema), {
  properties: { to: property },
});
const action = reversed(declared(defs.action as Json), { input, output: leaf });
const trigger = reversed(declared(defs.trigger as Json), { output: leaf });
const block = (name: string, values: Json = {}) => reversed(declared(defs[name] as Json), values);
const manifest = reversed(declared(schema), {
  nango: reversed(declared(schema.properties.nango as Json)),
  oauth: block('oauth', { scopes: ['a'], authorization_params: { b: '1', a: '2' } }),
  api_key: block('apiKey'),
  basic: block('basic'),
  app: block('app'),
  jwt: block('jwt'),
  tba: block('tba'),
  connection_settings: { account: block('connectionSetting') },
  actions: { send: action },
  triggers: { received: trigger },
});

/** Where in `manifest` an object of each schema shape sits: every shape with `properties`. */
const PLACES: [string, Json, string][] = [
  ['the manifest', schema, ''],
  ['nango', schema.properties.nango as Json, '/nango'],
  ['oauth', defs.oauth as Json, '/oauth'],
  ['apiKey', defs.apiKey as Json, '/api_key'],
  ['basic', defs.basic as Json, '/basic'],
  ['app', defs.app as Json, '/app'],
  ['jwt', defs.jwt as Json, '/jwt'],
  ['tba', defs.tba as Json, '/tba'],
  ['connectionSetting', defs.connectionSetting as Json, '/connection_settings/account'],
  ['action', defs.action as Json, '/actions/send'],
  ['trigger', defs.trigger as Json, '/triggers/received'],
  ['objectSchema', defs.propertySchema as Json, '/actions/send/input'],
  ['propertySchema', defs.propertySchema as Json, '/actions/send/input/properties/to'],
];

function at(value: unknown, pointer: string): Json {
  let node = value;
  for (const segment of pointerSegments(pointer)) node = (node as Json)[segment];
  return node as Json;
}

describe('orderManifestKeys follows manifest.schema.json', () => {
  const ordered = orderManifestKeys(manifest);

  it('every object the schema declares keys for has a place in this test', () => {
    const shapes = [
      'the manifest',
      'nango',
      ...Object.entries(defs)
        .filter(([, def]) => def.properties !== undefined)
        .map(([name]) => name),
    ];
    expect(PLACES.map(([name]) => name).sort()).toEqual(shapes.sort());
  });

  it.each(PLACES)('%s: every declared key, in the schema’s order', (_, shape, pointer) => {
    expect(Object.keys(at(manifest, pointer))).toEqual([...declared(shape)].reverse());
    expect(Object.keys(at(ordered, pointer))).toEqual(declared(shape));
  });

  it('knows the auth-mode keys: auth_mode and its blocks sit between nango and actions', () => {
    const keys = Object.keys(ordered);
    expect(keys.slice(keys.indexOf('nango'), keys.indexOf('actions') + 1)).toEqual([
      'nango',
      'auth_mode',
      'oauth',
      'api_key',
      'basic',
      'app',
      'jwt',
      'tba',
      'connection_settings',
      'actions',
    ]);
  });

  it('nested schemas (items, additionalProperties, anyOf) are ordered as property schemas', () => {
    for (const pointer of ['/items', '/additionalProperties', '/anyOf/0', '/properties/zeta']) {
      const node = at(ordered, `/actions/send/input/properties/to${pointer}`);
      expect(Object.keys(node), pointer).toEqual(['type', 'description']);
    }
  });

  it('ids (actions, properties, params) are sorted, never ranked as if they were format keys', () => {
    const named = orderManifestKeys({
      name: 'x',
      actions: {
        send: {
          input: { properties: { version: leaf, name: leaf, body: leaf, 'x-api': leaf } },
        },
      },
    });
    const properties = at(named, '/actions/send/input/properties');
    expect(Object.keys(properties)).toEqual(['body', 'name', 'version', 'x-api']);
    expect(Object.keys(properties['x-api'] as Json)).toEqual(['type', 'description']);
    expect(Object.keys(at(ordered, '/oauth/authorization_params'))).toEqual(['a', 'b']);
  });

  it('extension keys follow the declared ones, sorted, their contents sorted', () => {
    const extended = orderManifestKeys({
      'x-z': { b: 1, a: 2 },
      actions: {},
      'x-a': 1,
      name: 'x',
    });
    expect(Object.keys(extended)).toEqual(['name', 'actions', 'x-a', 'x-z']);
    expect(Object.keys(extended['x-z'])).toEqual(['a', 'b']);
  });

  it('changes no value: only the order', () => {
    expect(JSON.parse(JSON.stringify(ordered))).toEqual(manifest);
  });
});
