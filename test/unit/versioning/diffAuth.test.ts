import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/manifest/index.js';
import { hashManifest } from '../../../src/manifest/index.js';
import { diffManifests, overallBump } from '../../../src/versioning/index.js';
import type { Bump } from '../../../src/versioning/types.js';
import { AUTH_MODES, MODE_SETTINGS, manifestOfMode } from '../../helpers/authManifests.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';

function diff(old: object, next: object) {
  return diffManifests(old as unknown as Manifest, next as unknown as Manifest);
}

describe('auth mode transitions', () => {
  const pairs = AUTH_MODES.flatMap((from) => AUTH_MODES.map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s', (from, to) => {
    const changes = diff(manifestOfMode(from), manifestOfMode(to));
    if (from === to) {
      expect(changes).toEqual([]);
      return;
    }
    expect(overallBump(changes)).toBe('major');
    expect(changes).toContainEqual({
      path: '/auth_mode',
      kind: 'changed',
      bump: 'major',
      reason: `auth mode changed from ${from} to ${to}: every existing connection holds credentials of the old kind and must be re-created`,
    });
    // Every change explains itself as part of the move: no patch noise about the blocks.
    expect(changes.every((c) => c.bump === 'major')).toBe(true);
  });

  it('moving a fake OAuth block to API_KEY is one major change per thing that moved', () => {
    const changes = diff(buildManifest(), manifestOfMode('API_KEY'));
    expect(changes.map((c) => `${c.bump} ${c.kind} ${c.path}`)).toEqual([
      'major added /api_key',
      'major changed /auth_mode',
      'major removed /oauth',
    ]);
    expect(changes[1]?.reason).toMatch(/^auth mode changed from OAUTH2 to API_KEY/);
  });

  it('writing out the implied mode is no change at all (OAUTH2 and OAUTH1), either way', () => {
    const gmail = buildManifest();
    const spelled = { ...gmail, auth_mode: 'OAUTH2' };
    expect(diff(gmail, spelled)).toEqual([]);
    expect(diff(spelled, gmail)).toEqual([]);
    const trello = buildManifest({ oauth: MODE_SETTINGS.OAUTH1.oauth as Manifest['oauth'] });
    expect(diff(trello, { ...trello, auth_mode: 'OAUTH1' })).toEqual([]);
  });

  it('writing out a mode the oauth block did not imply is a mode change', () => {
    const changes = diff(buildManifest(), { ...buildManifest(), auth_mode: 'OAUTH1' });
    expect(changes).toContainEqual(expect.objectContaining({ path: '/auth_mode', bump: 'major' }));
    const trello = buildManifest({ oauth: MODE_SETTINGS.OAUTH1.oauth as Manifest['oauth'] });
    expect(overallBump(diff(buildManifest(), trello))).toBe('major');
  });

  it('the diff and the hash agree on the written-out default, whatever else changes', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.string(), (before, after, description) => {
        const base = { ...buildManifest(), description: description || 'x' };
        const old = before ? { ...buildManifest(), auth_mode: 'OAUTH2' } : buildManifest();
        const next = after ? { ...base, auth_mode: 'OAUTH2' } : base;
        const same = hashManifest(old as Manifest) === hashManifest(next as unknown as Manifest);
        expect(diff(old, next).length === 0).toBe(same);
      }),
    );
  });
});

interface Row {
  rule: string;
  old: Record<string, unknown>;
  next: Record<string, unknown>;
  bump: Bump;
  path: string;
}

const header = { in: 'header', name: 'Api-Token' };
const setting = { title: 'Hostname' };

const rows: Row[] = [
  {
    rule: 'API key moved to another header',
    old: { api_key: header },
    next: { api_key: { ...header, name: 'X-Api-Key' } },
    bump: 'major',
    path: '/api_key',
  },
  {
    rule: 'API key moved from a header to a query parameter',
    old: { api_key: header },
    next: { api_key: { in: 'query', name: 'Api-Token' } },
    bump: 'major',
    path: '/api_key',
  },
  {
    rule: 'API key format changed',
    old: { api_key: header },
    next: { api_key: { ...header, format: 'Bearer {api_key}' } },
    bump: 'major',
    path: '/api_key',
  },
  {
    rule: 'API key placement removed',
    old: { api_key: header },
    next: {},
    bump: 'major',
    path: '/api_key',
  },
  {
    rule: 'API key placement stated',
    old: {},
    next: { api_key: header },
    bump: 'minor',
    path: '/api_key',
  },
  {
    rule: 'API key header name in another case',
    old: { api_key: header },
    next: { api_key: { ...header, name: 'api-token' } },
    bump: 'patch',
    path: '/api_key/name',
  },
  {
    rule: 'API key query parameter in another case',
    old: { api_key: { in: 'query', name: 'key' } },
    next: { api_key: { in: 'query', name: 'KEY' } },
    bump: 'major',
    path: '/api_key',
  },
  {
    rule: 'API key default format written out',
    old: { api_key: header },
    next: { api_key: { ...header, format: '{api_key}' } },
    bump: 'patch',
    path: '/api_key/format',
  },
  {
    rule: 'API key label changed',
    old: { api_key: header },
    next: { api_key: { ...header, label: 'API Token' } },
    bump: 'patch',
    path: '/api_key/label',
  },
  {
    rule: 'required connection setting added',
    old: {},
    next: { connection_settings: { hostname: setting } },
    bump: 'major',
    path: '/connection_settings/hostname',
  },
  {
    rule: 'optional connection setting added',
    old: {},
    next: { connection_settings: { hostname: { ...setting, optional: true } } },
    bump: 'minor',
    path: '/connection_settings/hostname',
  },
  {
    rule: 'connection setting removed',
    old: { connection_settings: { hostname: setting } },
    next: {},
    bump: 'minor',
    path: '/connection_settings/hostname',
  },
  {
    rule: 'connection setting made required',
    old: { connection_settings: { hostname: { ...setting, optional: true } } },
    next: { connection_settings: { hostname: setting } },
    bump: 'major',
    path: '/connection_settings/hostname/optional',
  },
  {
    rule: 'connection setting made optional',
    old: { connection_settings: { hostname: setting } },
    next: { connection_settings: { hostname: { ...setting, optional: true } } },
    bump: 'minor',
    path: '/connection_settings/hostname/optional',
  },
  {
    rule: 'connection setting default written out',
    old: { connection_settings: { hostname: setting } },
    next: { connection_settings: { hostname: { ...setting, optional: false } } },
    bump: 'patch',
    path: '/connection_settings/hostname/optional',
  },
  {
    rule: 'connection setting title changed',
    old: { connection_settings: { hostname: setting } },
    next: { connection_settings: { hostname: { title: 'Host' } } },
    bump: 'patch',
    path: '/connection_settings/hostname/title',
  },
];

describe('API_KEY settings and connection settings', () => {
  it.each(rows)('$rule: $bump at $path', ({ old, next, bump, path }) => {
    const base = { ...manifestOfMode('API_KEY'), api_key: undefined };
    const changes = diff({ ...base, ...old }, { ...base, ...next });
    expect(overallBump(changes)).toBe(bump);
    expect(changes.filter((c) => c.bump === bump).map((c) => c.path)).toEqual([path]);
    // and the other way round, a change at the same path
    expect(diff({ ...base, ...next }, { ...base, ...old }).map((c) => c.path)).toContain(path);
  });

  it('connection settings count the same under an OAuth mode', () => {
    const changes = diff(
      buildManifest(),
      buildManifest({ connection_settings: { subdomain: setting } }),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        path: '/connection_settings/subdomain',
        bump: 'major',
        reason: expect.stringContaining('required connection setting `subdomain` added'),
      }),
    ]);
  });
});

describe('the other modes’ settings', () => {
  it.each([
    ['BASIC', { basic: { password_optional: true } }, { basic: {} }, 'major'],
    ['BASIC', { basic: {} }, { basic: { password_optional: true } }, 'minor'],
    [
      'BASIC',
      { basic: { username_label: 'API key' } },
      { basic: { username_label: 'Key' } },
      'patch',
    ],
    ['JWT', { jwt: { algorithm: 'RS256' } }, { jwt: { algorithm: 'ES256' } }, 'major'],
    [
      'JWT',
      { jwt: { algorithm: 'RS256' } },
      { jwt: { algorithm: 'RS256', expires_in_seconds: 60 } },
      'patch',
    ],
    ['APP', { app: {} }, { app: { install_url: 'https://example.com/install' } }, 'patch'],
    ['TBA', { tba: {} }, { tba: { signature_method: 'HMAC-SHA256' } }, 'patch'],
    [
      'OAUTH2_CC',
      {},
      { oauth: { token_url: 'https://api.example.com/oauth/token', scopes: ['a'] } },
      'major',
    ],
  ] as const)('%s: %j -> %j is %s', (mode, old, next, bump) => {
    const base = manifestOfMode(mode);
    expect(overallBump(diff({ ...base, ...old }, { ...base, ...next }))).toBe(bump);
  });
});
