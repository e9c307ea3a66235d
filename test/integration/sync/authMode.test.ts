import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../../src/daemon/api.js';
import { openRepository } from '../../../src/git/index.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

/** The bundled ActiveCampaign: API_KEY in the Api-Token header. */
const apiKey: Manifest = JSON.parse(
  readFileSync(new URL('../../../manifests/activecampaign.json', import.meta.url), 'utf8'),
);

/** ActiveCampaign as it was bundled before auth modes: an invented OAuth block and a note admitting it. */
const fakeOAuth = (() => {
  const { auth_mode, api_key, connection_settings, 'x-api-base-url': base, ...rest } = apiKey;
  return {
    ...rest,
    oauth: {
      authorization_url: 'https://{subdomain}.activehosted.com/oauth/authorize',
      token_url: 'https://{subdomain}.api-us1.com/oauth/token',
      scopes: [],
      'x-url-params': ['subdomain'],
      'x-auth-note': 'ActiveCampaign has no public OAuth 2.0 flow.',
    },
  };
})();

let h: SyncHarness;
beforeAll(async () => {
  h = await createSyncHarness();
});
afterAll(async () => {
  await h.close();
});

describe('a connector moved from a fake OAuth block to API_KEY', () => {
  it('gets the versions and reasons the rules say, and refuses mismatched modes by name', {
    timeout: 120_000,
  }, async () => {
    const gmail = buildManifest();
    h.writeManifest(fakeOAuth);
    h.writeManifest(gmail);
    const first = h.commit('two OAuth connectors, one of them invented');

    // Writing out the implied mode: no version anywhere.
    h.writeManifest({ ...gmail, auth_mode: 'OAUTH2' });
    const spelled = h.commit('write out auth_mode OAUTH2');

    h.writeManifest(apiKey);
    const moved = h.commit('ActiveCampaign authenticates with an API key');

    h.writeManifest({ ...apiKey, api_key: { in: 'query', name: 'api_key' } });
    const query = h.commit('the key moves to a query parameter');

    const optional = { title: 'Region', optional: true };
    h.writeManifest({
      ...apiKey,
      api_key: { in: 'query', name: 'api_key' },
      connection_settings: { ...apiKey.connection_settings, region: optional },
    });
    const settings = h.commit('an optional connection setting');

    // Hostile input: an OAuth block under API_KEY, an unknown mode, neither mode nor oauth.
    h.writeManifest({ ...gmail, slug: 'slack', auth_mode: 'API_KEY' }, 'slack');
    h.writeManifest({ ...gmail, slug: 'notion', auth_mode: 'OAUTH3' }, 'notion');
    h.writeManifest({ ...gmail, slug: 'stripe', oauth: undefined }, 'stripe');
    h.writeManifest({ ...gmail, auth_mode: 'OAUTH2', description: 'Gmail, edited.' });
    const hostile = h.commit('three mismatched manifests and an edit');

    const report = await h.sync();
    expect(report.commitsApplied).toBe(6);
    const refused = report.refusals.map((r) => [r.slug, r.revision, r.pointer, r.code]);
    expect(refused).toEqual(
      expect.arrayContaining([
        ['slack', hostile, '/oauth', 'auth-mode-mismatch'],
        ['notion', hostile, '/auth_mode', 'invalid-value'],
        ['stripe', hostile, '/auth_mode', 'missing-key'],
      ]),
    );
    expect(refused).toHaveLength(3);
    expect(report.refusals.find((r) => r.slug === 'notion')?.message).toContain(
      'one of OAUTH2, OAUTH1, OAUTH2_CC, API_KEY, BASIC, APP, JWT, TBA, CUSTOM, NONE',
    );

    const ac = await h.versions('activecampaign');
    expect(ac.map((v) => [v.version, v.commit_sha, v.bump])).toEqual([
      ['1.0.0', first, 'none'],
      ['2.0.0', moved, 'major'],
      ['3.0.0', query, 'major'],
      ['3.1.0', settings, 'minor'],
    ]);
    expect(ac[1]?.reasons).toEqual(
      expect.arrayContaining([
        'auth mode changed from OAUTH2 to API_KEY: every existing connection holds credentials of the old kind and must be re-created',
        '`oauth` removed with the auth mode change from OAUTH2 to API_KEY: existing connections must be re-created',
        '`api_key` added with the auth mode change from OAUTH2 to API_KEY: existing connections must be re-created',
      ]),
    );
    expect(ac[1]?.manifest).toMatchObject({ auth_mode: 'API_KEY', version: '2.0.0' });
    expect(ac[1]?.manifest).not.toHaveProperty('oauth');
    expect(ac[2]?.reasons?.[0]).toBe(
      'the API key now goes in query `api_key` as `{api_key}` instead of header `Api-Token` as `{api_key}`: requests made the old way are refused',
    );
    expect(ac[3]?.reasons?.[0]).toBe(
      'optional connection setting `region` added: existing connections keep working without it',
    );

    // Gmail: the spelled-out default made nothing; the later edit is a patch.
    const gm = await h.versions('gmail');
    expect(gm.map((v) => [v.version, v.commit_sha])).toEqual([
      ['1.0.0', first],
      ['1.0.1', hostile],
    ]);
    expect(gm.map((v) => v.commit_sha)).not.toContain(spelled);

    // The read API says each connector's auth mode, per version too.
    const repository = await openRepository({ path: h.repo.path });
    try {
      const routes = apiRoutes({ db: (await h.db()).db, repository: () => repository });
      const get = async (pattern: string, path: string, params: Record<string, string>) => {
        const route = routes.find((r) => r.pattern === pattern && r.method === 'GET');
        const url = new URL(path, 'http://localhost');
        const response = await route?.handler({
          method: 'GET',
          url,
          params,
          headers: {},
          body: Buffer.alloc(0),
        });
        return JSON.parse(String(response?.body));
      };
      const list = await get('/api/connectors', '/api/connectors', {});
      expect(
        Object.fromEntries(
          list.connectors.map((c: { slug: string; latest: { authMode: string } }) => [
            c.slug,
            c.latest.authMode,
          ]),
        ),
      ).toEqual({ activecampaign: 'API_KEY', gmail: 'OAUTH2' });
      const history = await get(
        '/api/connectors/:slug/versions',
        '/api/connectors/activecampaign/versions',
        { slug: 'activecampaign' },
      );
      expect(
        history.versions.map((v: { version: string; authMode: string }) => [v.version, v.authMode]),
      ).toEqual([
        ['3.1.0', 'API_KEY'],
        ['3.0.0', 'API_KEY'],
        ['2.0.0', 'API_KEY'],
        ['1.0.0', 'OAUTH2'],
      ]);
    } finally {
      await repository.close();
    }

    // Nothing more to do: a resync of the head agrees, and still refuses the three.
    const resync = await h.sync({ kind: 'resync' });
    expect(resync.versionsCreated).toBe(0);
    expect(resync.decisions.map((d) => `${d.action} ${d.slug}`).sort()).toEqual([
      'refuse notion',
      'refuse slack',
      'refuse stripe',
    ]);
  });
});
