/** How a connection authenticates: the names Nango's provider catalogue uses for its modes. */
export const AUTH_MODES = [
  'OAUTH2',
  'OAUTH1',
  'OAUTH2_CC',
  'API_KEY',
  'BASIC',
  'APP',
  'JWT',
  'TBA',
  'CUSTOM',
  'NONE',
] as const;

/** One of `AUTH_MODES`. */
export type AuthMode = (typeof AUTH_MODES)[number];

/** The modes that carry an `oauth` block (required for them, refused for the others). */
export const OAUTH_MODES: readonly AuthMode[] = ['OAUTH2', 'OAUTH1', 'OAUTH2_CC'];

/** Each mode's own settings block, where it has one: allowed with that mode only. */
export const MODE_BLOCKS = {
  oauth: OAUTH_MODES,
  api_key: ['API_KEY'],
  basic: ['BASIC'],
  app: ['APP'],
  jwt: ['JWT'],
  tba: ['TBA'],
} as const satisfies Record<string, readonly AuthMode[]>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether a value is one of the known modes. */
export function isAuthMode(value: unknown): value is AuthMode {
  return typeof value === 'string' && (AUTH_MODES as readonly string[]).includes(value);
}

/**
 * The mode a manifest's `auth_mode` says, or the one its `oauth` block implies when it has none
 * (OAUTH1 for `oauth.version` "1.0a", else OAUTH2: every manifest written before `auth_mode`).
 * Undefined when neither says (an invalid manifest) or the mode is unknown.
 */
export function effectiveAuthMode(manifest: unknown): AuthMode | undefined {
  if (!isRecord(manifest)) return undefined;
  if (Object.hasOwn(manifest, 'auth_mode')) {
    return isAuthMode(manifest.auth_mode) ? manifest.auth_mode : undefined;
  }
  const oauth = manifest.oauth;
  if (!isRecord(oauth)) return undefined;
  return oauth.version === '1.0a' ? 'OAUTH1' : 'OAUTH2';
}

/**
 * Whether `auth_mode` only writes out what the `oauth` block already implies (`"OAUTH2"` beside
 * an `oauth` block): the content hash and the diff treat it as absent, so it is never a change.
 */
export function isImpliedAuthMode(manifest: Record<string, unknown>): boolean {
  if (!Object.hasOwn(manifest, 'auth_mode') || !isRecord(manifest.oauth)) return false;
  const implied = manifest.oauth.version === '1.0a' ? 'OAUTH1' : 'OAUTH2';
  return manifest.auth_mode === implied;
}
