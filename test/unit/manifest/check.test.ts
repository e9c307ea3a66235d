import { describe, expect, it } from 'vitest';
import { checkManifest, MAX_MANIFEST_BYTES } from '../../../src/manifest/index.js';
import type { ManifestProblem } from '../../../src/manifest/types.js';
import {
  buildAction,
  buildManifest,
  buildTrigger,
  manifestText,
} from '../../helpers/manifestBuilder.js';

const valid = manifestText(buildManifest());

/** The 1-based line of the `nth` line of `text` that contains `needle`. */
function lineOf(text: string, needle: string, nth = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.includes(needle) && ++seen === nth) return index + 1;
  }
  throw new Error(`\`${needle}\` not found ${nth} times`);
}

function errorsOf(
  text: string,
  opts: { expectedSlug?: string; maxBytes?: number } = {},
): ManifestProblem[] {
  const result = checkManifest(text, { file: 'manifests/gmail.json', ...opts });
  if (result.ok) throw new Error('expected the manifest to be refused');
  return result.errors;
}

describe('checkManifest accepts', () => {
  it.each([
    ['the builder output', buildManifest()],
    ['a manifest without version', buildManifest({ version: undefined })],
    [
      'x- extension keys everywhere they are allowed',
      buildManifest({
        'x-owner': 'team-mail',
        $schema: '../schema/manifest.schema.json',
        oauth: {
          ...buildManifest().oauth,
          'x-note': 1,
          pkce: true,
          version: '2.0',
          token_params: { a: 'b' },
        },
        triggers: { t: buildTrigger({ type: 'polling', 'x-interval': 60 }) },
      }),
    ],
    [
      'empty actions, triggers and scopes',
      buildManifest({
        actions: {},
        triggers: {},
        oauth: { ...buildManifest().oauth, scopes: [] },
      }),
    ],
    [
      '{placeholder} segments in OAuth URLs',
      buildManifest({
        oauth: {
          authorization_url: 'https://{subdomain}.okta.com/oauth2/v1/authorize',
          token_url: 'https://login.example.com:8443/{tenant}/oauth2/token?x=1',
          refresh_url: 'https://{region}-api.example.com/refresh',
          scopes: [],
        },
      }),
    ],
    [
      'other nango keys',
      buildManifest({ nango: { provider_config_key: 'gmail', extra: { a: 1 } } }),
    ],
    ['a prerelease semver', buildManifest({ version: '2.0.0-rc.1+build.5' })],
  ])('%s', (_name, manifest) => {
    const result = checkManifest(manifestText(manifest), {
      file: 'manifests/gmail.json',
      expectedSlug: 'gmail',
    });
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (result.ok) {
      expect(result.manifest).toEqual(manifest);
      expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

interface RefusalCase {
  name: string;
  text: string;
  opts?: { expectedSlug?: string; maxBytes?: number };
  code: string;
  pointer: string;
  line?: number;
  message?: RegExp;
}

const withText = (from: string, to: string) => {
  if (!valid.includes(from)) throw new Error(`fixture lacks ${from}`);
  return valid.replace(from, to);
};
const text = (overrides: Parameters<typeof buildManifest>[0]) =>
  manifestText(buildManifest(overrides));
const truncated = valid.slice(0, valid.indexOf('"send_email": {') + 25);
const duplicate = withText('"slug": "gmail",', '"slug": "gmail",\n  "name": "Other",');
const proto = withText(
  '"slug": "gmail",',
  '"slug": "gmail",\n  "__proto__": { "polluted": true },',
);
const constructorKey = withText(
  '"subject": {',
  '"constructor": { "type": "string" },\n          "subject": {',
);
const noDescription = text({ description: undefined });
const noTokenUrl = text({
  oauth: { authorization_url: 'https://a.example.com/auth', scopes: [] } as never,
});

const refusals: RefusalCase[] = [
  {
    name: 'truncated JSON',
    text: truncated,
    code: 'truncated-json',
    pointer: '/actions/send_email',
    line: truncated.split('\n').length,
    message: /ends too early/,
  },
  {
    name: 'invalid JSON',
    text: withText('"status": "beta"', '"status": beta'),
    code: 'invalid-json',
    pointer: '/status',
    line: lineOf(valid, '"status"'),
    message: /found `b`/,
  },
  {
    name: 'a trailing comma',
    text: withText('"status": "beta",', '"status": "beta",,'),
    code: 'invalid-json',
    pointer: '',
    line: lineOf(valid, '"status"'),
  },
  {
    name: 'a duplicate key',
    text: duplicate,
    code: 'duplicate-key',
    pointer: '/name',
    line: lineOf(duplicate, '"name"', 2),
    message: new RegExp(
      `line ${lineOf(duplicate, '"name"', 2)}.*first at line ${lineOf(duplicate, '"name"')}`,
    ),
  },
  {
    name: 'a __proto__ key',
    text: proto,
    code: 'forbidden-key',
    pointer: '/__proto__',
    line: lineOf(proto, '__proto__'),
    message: /prototype pollution/,
  },
  {
    name: 'a nested constructor key',
    text: constructorKey,
    code: 'forbidden-key',
    pointer: '/actions/send_email/input/properties/constructor',
    line: lineOf(constructorKey, '"constructor"'),
  },
  {
    name: 'a slug not matching the file',
    text: valid,
    opts: { expectedSlug: 'google-mail' },
    code: 'slug-mismatch',
    pointer: '/slug',
    line: lineOf(valid, '"slug"'),
    message: /google-mail\.json/,
  },
  {
    name: 'a badly formed slug',
    text: text({ slug: 'Gmail_Mail' }),
    code: 'invalid-value',
    pointer: '/slug',
    line: lineOf(valid, '"slug"'),
    message: /got `Gmail_Mail`/,
  },
  {
    name: 'a slug over 64 characters',
    text: text({ slug: 'a'.repeat(65) }),
    code: 'invalid-value',
    pointer: '/slug',
    message: /at most 64/,
  },
  {
    name: 'a file name that is no slug',
    text: valid,
    opts: { expectedSlug: 'Gmail' },
    code: 'bad-file-name',
    pointer: '',
    line: 1,
  },
  {
    name: 'a non-semver version',
    text: text({ version: '1.2' }),
    code: 'invalid-value',
    pointer: '/version',
    line: lineOf(valid, '"version"'),
    message: /^`version` must be a semver version like 1\.2\.3 \(got `1\.2`\)$/,
  },
  {
    name: 'an unknown status',
    text: text({ status: 'live' as never }),
    code: 'invalid-value',
    pointer: '/status',
    line: lineOf(valid, '"status"'),
    message: /^`status` must be one of draft, beta, stable, deprecated \(got `live`\)$/,
  },
  {
    name: 'actions as a list',
    text: text({ actions: [] as never }),
    code: 'wrong-type',
    pointer: '/actions',
    line: lineOf(valid, '"actions"'),
    message: /^`actions` must be an object keyed by action id, not a list$/,
  },
  {
    name: 'triggers as a list',
    text: text({ triggers: [] as never }),
    code: 'wrong-type',
    pointer: '/triggers',
    message: /keyed by trigger id, not a list/,
  },
  {
    name: 'oversize text',
    text: valid,
    opts: { maxBytes: 100 },
    code: 'too-large',
    pointer: '',
    message: /at most 100 bytes/,
  },
  {
    name: 'oversize UTF-8 under 1 MiB of characters',
    text: text({ description: 'é'.repeat(600_000) }),
    code: 'too-large',
    pointer: '',
    message: new RegExp(`at most ${MAX_MANIFEST_BYTES} bytes`),
  },
  {
    name: 'an unknown top-level key',
    text: text({ foo: 1 }),
    code: 'unknown-key',
    pointer: '/foo',
    message:
      /^unknown top-level key `foo`: only the documented keys and `x-` extensions are allowed$/,
  },
  {
    name: 'an unknown action key',
    text: text({ actions: { a: buildAction({ method: 'POST' }) } }),
    code: 'unknown-key',
    pointer: '/actions/a/method',
    message: /in `actions\.a`/,
  },
  {
    name: 'a missing description',
    text: noDescription,
    code: 'missing-key',
    pointer: '/description',
    line: 1,
    message: /^missing required top-level key `description`$/,
  },
  {
    name: 'a missing token_url',
    text: noTokenUrl,
    code: 'missing-key',
    pointer: '/oauth/token_url',
    line: lineOf(noTokenUrl, '"oauth"'),
    message: /`oauth` is missing the required key `token_url`/,
  },
  {
    name: 'an action without input',
    text: text({
      actions: { a: { name: 'A', description: 'B', output: { type: 'object' } } as never },
    }),
    code: 'missing-key',
    pointer: '/actions/a/input',
  },
  {
    name: 'an action input that is no object schema',
    text: text({
      actions: {
        a: { name: 'A', description: 'B', input: { type: 'string' }, output: { type: 'object' } },
      },
    }),
    code: 'invalid-value',
    pointer: '/actions/a/input/type',
    message: /must be `object` \(got `string`\)/,
  },
  {
    name: 'a misspelt property type',
    text: text({
      actions: {
        a: {
          name: 'A',
          description: 'B',
          input: { type: 'object', properties: { x: { type: 'strng' } } },
          output: { type: 'object' },
        },
      },
    }),
    code: 'invalid-value',
    pointer: '/actions/a/input/properties/x/type',
    message: /JSON type name .* \(got `strng`\)/,
  },
  {
    name: 'a bad action id',
    text: text({ actions: { 'Send-Email': buildAction() } }),
    code: 'invalid-key',
    pointer: '/actions/Send-Email',
    message: /action id `Send-Email`/,
  },
  {
    name: 'an unknown trigger type',
    text: text({ triggers: { t: buildTrigger({ type: 'push' }) } }),
    code: 'invalid-value',
    pointer: '/triggers/t/type',
    message: /one of webhook, polling/,
  },
  {
    name: 'a square-bracket URL placeholder',
    text: text({
      oauth: {
        authorization_url: 'https://[subdomain].aha.io/oauth/authorize',
        token_url: 'https://a.aha.io/t',
        scopes: [],
      },
    }),
    code: 'url-placeholder',
    pointer: '/oauth/authorization_url',
    message:
      /write `\{placeholder\}` instead: `https:\/\/\{subdomain\}\.aha\.io\/oauth\/authorize`/,
  },
  {
    name: 'a plain http URL',
    text: text({
      oauth: { authorization_url: 'https://a.io/auth', token_url: 'http://a.io/token', scopes: [] },
    }),
    code: 'invalid-value',
    pointer: '/oauth/token_url',
    message: /must be an https URL \(got `http:\/\/a\.io\/token`\)/,
  },
  {
    name: 'repeated scopes',
    text: text({ oauth: { ...buildManifest().oauth, scopes: ['a', 'a'] } }),
    code: 'invalid-value',
    pointer: '/oauth/scopes',
    message: /must not repeat/,
  },
  { name: 'a top-level array', text: '[]\n', code: 'not-an-object', pointer: '', line: 1 },
  { name: 'an empty file', text: '  \n', code: 'invalid-json', pointer: '', message: /empty/ },
];

describe('checkManifest refuses', () => {
  it.each(refusals)('$name', ({ text, opts, code, pointer, line, message }) => {
    const errors = errorsOf(text, opts);
    const match = errors.find((error) => error.code === code && error.pointer === pointer);
    expect(match, JSON.stringify(errors, null, 2)).toBeDefined();
    expect(match?.file).toBe('manifests/gmail.json');
    if (line !== undefined) expect(match?.line).toBe(line);
    if (message) expect(match?.message).toMatch(message);
  });
});

describe('checkManifest reports', () => {
  it('every problem at once, in file order, each naming the revision', () => {
    const manifest = buildManifest({
      version: '1',
      status: 'live' as never,
      actions: [] as never,
      foo: true,
    });
    const result = checkManifest(manifestText(manifest), {
      file: 'm/gmail.json',
      revision: 'abc123',
      expectedSlug: 'other',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/slug', 'slug-mismatch'],
      ['/version', 'invalid-value'],
      ['/status', 'invalid-value'],
      ['/actions', 'wrong-type'],
      ['/foo', 'unknown-key'],
    ]);
    for (const error of result.errors)
      expect(error).toMatchObject({ file: 'm/gmail.json', revision: 'abc123' });
  });

  it('no schema problems for the value of a refused __proto__ key, and no pollution', () => {
    const errors = errorsOf(proto);
    expect(errors.map((e) => e.code)).toEqual(['forbidden-key']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('one problem per anyOf, not the branches', () => {
    const errors = errorsOf(
      text({
        actions: {
          a: {
            name: 'A',
            description: 'B',
            input: { type: 'object', additionalProperties: 5 },
            output: { type: 'object' },
          },
        },
      }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe(
      '`actions.a.input.additionalProperties` must be a JSON Schema object or a boolean (got `5`)',
    );
  });
});
