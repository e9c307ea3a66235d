import { describe, expect, it } from 'vitest';
import {
  AUTH_MODES,
  checkManifest,
  effectiveAuthMode,
  hashManifest,
  type Manifest,
  MODE_BLOCKS,
  manifestSchema,
  OAUTH_MODES,
} from '../../../src/manifest/index.js';
import { MODE_SETTINGS, manifestOfMode } from '../../helpers/authManifests.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';

function problems(manifest: object) {
  const result = checkManifest(manifestText(manifest as unknown as Manifest), {
    file: 'gmail.json',
  });
  return result.ok
    ? []
    : result.errors.map((e) => ({ pointer: e.pointer, code: e.code, message: e.message }));
}

describe('auth_mode in the schema', () => {
  it.each(AUTH_MODES)('accepts %s with its own settings', (mode) => {
    expect(problems(manifestOfMode(mode))).toEqual([]);
    expect(effectiveAuthMode(manifestOfMode(mode))).toBe(mode);
  });

  it.each(AUTH_MODES.filter((m) => m !== 'OAUTH2' && m !== 'CUSTOM' && m !== 'NONE'))(
    'accepts %s without its optional settings block, except the OAuth modes',
    (mode) => {
      const bare = buildManifest({ auth_mode: mode, oauth: undefined });
      const found = problems(bare);
      if (OAUTH_MODES.includes(mode)) {
        expect(found).toEqual([
          expect.objectContaining({
            pointer: '/oauth',
            code: 'missing-key',
            message: expect.stringContaining(`auth_mode ${mode} needs an \`oauth\` block`),
          }),
        ]);
      } else expect(found).toEqual([]);
    },
  );

  it('reads an oauth block without auth_mode as OAUTH2, or OAUTH1 for version 1.0a', () => {
    const gmail = buildManifest();
    expect(problems(gmail)).toEqual([]);
    expect(effectiveAuthMode(gmail)).toBe('OAUTH2');
    const trello = buildManifest({ oauth: MODE_SETTINGS.OAUTH1.oauth as Manifest['oauth'] });
    expect(effectiveAuthMode(trello)).toBe('OAUTH1');
  });

  it('refuses a manifest with neither auth_mode nor oauth, naming /auth_mode', () => {
    expect(problems(buildManifest({ oauth: undefined }))).toEqual([
      {
        pointer: '/auth_mode',
        code: 'missing-key',
        message: expect.stringMatching(
          /^missing `auth_mode`: .*one of OAUTH2, OAUTH1, OAUTH2_CC, API_KEY, BASIC, APP, JWT, TBA, CUSTOM, NONE/,
        ),
      },
    ]);
  });

  it.each([['OAUTH3'], ['oauth2'], [''], [3], [null], [['API_KEY']], ['API_KEY\u0000']])(
    'refuses the unknown mode %j, naming /auth_mode and listing the valid ones',
    (mode) => {
      expect(problems({ ...buildManifest(), auth_mode: mode })).toEqual([
        {
          pointer: '/auth_mode',
          code: 'invalid-value',
          message: expect.stringContaining(
            '`auth_mode` must be one of OAUTH2, OAUTH1, OAUTH2_CC, API_KEY, BASIC, APP, JWT, TBA, CUSTOM, NONE',
          ),
        },
      ]);
    },
  );

  // Every mode against every block it does not own: refused by name, and nothing else.
  const mismatches = AUTH_MODES.flatMap((mode) =>
    Object.entries(MODE_BLOCKS)
      .filter(([, modes]) => !(modes as readonly string[]).includes(mode))
      .map(([block]) => [mode, block] as const),
  );
  it.each(mismatches)('refuses auth_mode %s with a `%s` block, by name', (mode, block) => {
    const settings = Object.values(MODE_SETTINGS).find((s) => block in s) ?? {
      oauth: buildManifest().oauth,
    };
    const found = problems(manifestOfMode(mode, { [block]: settings[block] }));
    expect(found).toEqual([
      {
        pointer: `/${block}`,
        code: 'auth-mode-mismatch',
        message: expect.stringMatching(
          new RegExp(
            `^\`${block}\` is only for auth_mode .*this manifest's auth_mode is ${mode}: remove`,
          ),
        ),
      },
    ]);
  });

  it.each(Object.keys(MODE_BLOCKS).filter((b) => b !== 'oauth'))(
    'refuses a `%s` block beside an oauth block and no auth_mode (that is OAUTH2)',
    (block) => {
      const settings = Object.values(MODE_SETTINGS).find((s) => block in s) ?? {};
      expect(problems(buildManifest({ [block]: settings[block] }))).toEqual([
        expect.objectContaining({
          pointer: `/${block}`,
          code: 'auth-mode-mismatch',
          message: expect.stringContaining('makes it OAUTH2'),
        }),
      ]);
    },
  );

  it.each([
    ['OAUTH1', '2.0', '1.0a'],
    ['OAUTH2', '1.0a', '2.0'],
    ['OAUTH2_CC', '1.0a', '2.0'],
  ] as const)('refuses auth_mode %s with oauth.version %s', (mode, version, wanted) => {
    const base = manifestOfMode(mode);
    const found = problems({ ...base, oauth: { ...base.oauth, version } });
    expect(found).toEqual([
      {
        pointer: '/oauth/version',
        code: 'auth-mode-mismatch',
        message: expect.stringContaining(`write \`${wanted}\``),
      },
    ]);
  });

  it('needs only token_url for OAUTH2_CC, and the three keys otherwise', () => {
    expect(problems(manifestOfMode('OAUTH2_CC', { oauth: { scopes: [] } }))).toEqual([
      expect.objectContaining({ pointer: '/oauth/token_url', code: 'missing-key' }),
    ]);
    expect(
      problems(manifestOfMode('OAUTH2', { oauth: { token_url: 'https://a.example.com/t' } })).map(
        (p) => p.pointer,
      ),
    ).toEqual(['/oauth/authorization_url', '/oauth/scopes']);
  });

  it.each([
    [{ in: 'body', name: 'X' }, '/api_key/in', 'must be one of header, query'],
    [{ in: 'header' }, '/api_key/name', 'missing the required key `name`'],
    [{ in: 'header', name: 'Api Token' }, '/api_key/name', 'header or query parameter name'],
    [
      { in: 'header', name: 'Authorization', format: 'Bearer' },
      '/api_key/format',
      'must contain `{api_key}`',
    ],
    [{ in: 'query', name: 'key', where: 'x' }, '/api_key/where', 'unknown key `where`'],
    [{ in: 'query', name: 'key', format: 5 }, '/api_key/format', 'must be a string'],
  ])('refuses the api_key %j at its pointer', (apiKey, pointer, text) => {
    expect(problems(manifestOfMode('API_KEY', { api_key: apiKey }))).toEqual([
      expect.objectContaining({ pointer, message: expect.stringContaining(text) }),
    ]);
  });

  it.each([
    [{ host: { title: 'Host', optional: 'yes' } }, '/connection_settings/host/optional'],
    [{ host: {} }, '/connection_settings/host/title'],
    [{ '1host': { title: 'Host' } }, '/connection_settings/1host'],
    [{ host: { title: 'Host', kind: 'text' } }, '/connection_settings/host/kind'],
    [[{ title: 'Host' }], '/connection_settings'],
  ])('refuses the connection settings %j, naming %s', (settings, pointer) => {
    const found = problems(manifestOfMode('NONE', { connection_settings: settings }));
    expect(found.map((p) => p.pointer)).toEqual([pointer]);
  });

  it('gives editors a description of each mode and each block', () => {
    const schema = manifestSchema as unknown as {
      properties: Record<
        string,
        { description?: string; $ref?: string; enum?: string[]; enumDescriptions?: string[] }
      >;
      $defs: Record<string, { description?: string }>;
    };
    const mode = schema.properties.auth_mode;
    expect(mode?.enum).toEqual([...AUTH_MODES]);
    expect(mode?.enumDescriptions).toHaveLength(AUTH_MODES.length);
    for (const block of [...Object.keys(MODE_BLOCKS), 'connection_settings']) {
      const ref = schema.properties[block]?.$ref?.replace('#/$defs/', '') ?? '';
      expect(schema.$defs[ref]?.description, block).toMatch(/\w/);
    }
  });
});

describe('the hash and auth_mode', () => {
  it('is the same with or without the implied mode written out', () => {
    const gmail = buildManifest();
    expect(hashManifest(buildManifest({ auth_mode: 'OAUTH2' }))).toBe(hashManifest(gmail));
    const trello = buildManifest({ oauth: MODE_SETTINGS.OAUTH1.oauth as Manifest['oauth'] });
    expect(hashManifest({ ...trello, auth_mode: 'OAUTH1' })).toBe(hashManifest(trello));
  });

  it('differs for any other mode', () => {
    const hashes = new Set(AUTH_MODES.map((mode) => hashManifest(manifestOfMode(mode))));
    expect(hashes.size).toBe(AUTH_MODES.length);
    expect(hashManifest(buildManifest({ auth_mode: 'OAUTH1' }))).not.toBe(
      hashManifest(buildManifest()),
    );
  });

  it('keeps the hash of a manifest written before auth_mode (pinned)', () => {
    expect(hashManifest(buildManifest())).toBe(PINNED_GMAIL_HASH);
  });
});

/** The Gmail example's hash at main before auth_mode existed (603bb02). */
const PINNED_GMAIL_HASH = '3b6471b4ef7bd9a57f375a3ddd346e9961a5a79a727174152fa8c7c64aef1556';
