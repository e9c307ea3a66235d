import fc from 'fast-check';
import type { Manifest } from '../../../src/manifest/types.js';

/**
 * Manifests drawn from small pools of ids, property names, types and scopes, so that two drawn
 * manifests overlap a lot and their diff exercises every rule, not only "everything replaced".
 */
const propertyName = fc.constantFrom('a', 'b', 'c');
const typeKeyword = fc.oneof(
  fc.constantFrom('string', 'number', 'integer', 'boolean', 'null'),
  fc.shuffledSubarray(['string', 'number', 'integer', 'null'], { minLength: 1 }),
);
const words = fc.constantFrom('one', 'two');

const { schema } = fc.letrec<{ schema: Record<string, unknown> }>((tie) => ({
  schema: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    fc.record(
      {
        type: typeKeyword,
        enum: fc.shuffledSubarray(['x', 'y', 'z', 1]),
        description: words,
        format: fc.constantFrom('email', 'uri'),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        type: fc.constant('object'),
        properties: fc.dictionary(propertyName, tie('schema'), { maxKeys: 3 }),
        required: fc.shuffledSubarray(['a', 'b', 'c']),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('array'), items: tie('schema') }, { requiredKeys: ['type'] }),
  ),
}));

const action = fc.record(
  {
    name: words,
    description: words,
    input: schema,
    output: schema,
    'x-http': fc.record({ method: fc.constantFrom('GET', 'POST') }),
  },
  { requiredKeys: ['name', 'description', 'input', 'output'] },
);

const trigger = fc.record({
  name: words,
  description: words,
  type: fc.constantFrom('webhook', 'polling'),
  output: schema,
});

/** A manifest (valid in shape, not necessarily against the JSON Schema) from small pools. */
export const manifestArbitrary: fc.Arbitrary<Manifest> = fc.record(
  {
    name: fc.constantFrom('Gmail', 'Mail'),
    slug: fc.constant('gmail'),
    version: fc.constantFrom('1.0.0', '1.2.0', '2.0.0-beta.1'),
    description: words,
    category: fc.constantFrom('CRM', 'Productivity'),
    status: fc.constantFrom('draft', 'beta', 'stable', 'deprecated'),
    nango: fc.record(
      { provider_config_key: fc.constantFrom('k1', 'k2'), provider: fc.constantFrom('p1', 'p2') },
      { requiredKeys: ['provider_config_key'] },
    ),
    oauth: fc.record(
      {
        authorization_url: fc.constantFrom('https://a.example/auth', 'https://b.example/auth'),
        token_url: fc.constant('https://a.example/token'),
        scopes: fc.shuffledSubarray(['s1', 's2', 's3']),
        pkce: fc.boolean(),
      },
      { requiredKeys: ['authorization_url', 'token_url', 'scopes'] },
    ),
    actions: fc.dictionary(fc.constantFrom('send', 'list', 'get'), action, { maxKeys: 3 }),
    triggers: fc.dictionary(fc.constantFrom('created', 'updated'), trigger, { maxKeys: 2 }),
    'x-docs': words,
  },
  {
    requiredKeys: [
      'name',
      'slug',
      'description',
      'category',
      'status',
      'nango',
      'oauth',
      'actions',
      'triggers',
    ],
  },
) as fc.Arbitrary<Manifest>;

/** A semver version, sometimes a pre-release. */
export const versionArbitrary: fc.Arbitrary<string> = fc
  .tuple(
    fc.nat(3),
    fc.nat(3),
    fc.nat(3),
    fc.option(fc.constantFrom('alpha', 'beta.0', 'beta.1', 'rc.2'), { nil: undefined }),
  )
  .map(
    ([major, minor, patch, pre]) =>
      `${major}.${minor}.${patch}${pre === undefined ? '' : `-${pre}`}`,
  );
