import { AUTH_MODES, type AuthMode } from '../../src/manifest/authMode.js';
import type { Manifest } from '../../src/manifest/types.js';
import { buildManifest } from './manifestBuilder.js';

/** A valid block of settings for each mode that has one (OAuth modes: an `oauth` block). */
export const MODE_SETTINGS: Record<AuthMode, Record<string, unknown>> = {
  OAUTH2: {},
  OAUTH1: {
    oauth: {
      version: '1.0a',
      authorization_url: 'https://trello.com/1/OAuthAuthorizeToken',
      token_url: 'https://trello.com/1/OAuthGetAccessToken',
      scopes: ['read'],
    },
  },
  OAUTH2_CC: { oauth: { token_url: 'https://api.example.com/oauth/token', scopes: [] } },
  API_KEY: { api_key: { in: 'header', name: 'Api-Token' } },
  BASIC: { basic: { username_label: 'API key', password_optional: true } },
  APP: { app: { install_url: 'https://github.com/apps/{app_slug}/installations/new' } },
  JWT: { jwt: { algorithm: 'RS256', token_url: 'https://api.example.com/token' } },
  TBA: { tba: { signature_method: 'HMAC-SHA256' } },
  CUSTOM: {},
  NONE: {},
};

/** A valid manifest of the given mode: the Gmail example with its `oauth` block swapped for the mode's. */
export function manifestOfMode(mode: AuthMode, extra: Record<string, unknown> = {}): Manifest {
  const oauth = mode === 'OAUTH2' ? buildManifest().oauth : undefined;
  return buildManifest({ auth_mode: mode, oauth, ...MODE_SETTINGS[mode], ...extra });
}

export { AUTH_MODES };
