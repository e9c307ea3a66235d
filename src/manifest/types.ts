import type { AuthMode } from './authMode.js';

/** A JSON Schema fragment as manifests carry it (for action input/output and trigger output). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  description?: string;
  [keyword: string]: unknown;
}

/** One action a connector offers: a call with a typed input and output. */
export interface Action {
  name: string;
  description: string;
  input: JsonSchema;
  output: JsonSchema;
  [extension: `x-${string}`]: unknown;
}

/** One trigger a connector offers: events it emits, by webhook or by polling. */
export interface Trigger {
  name: string;
  description: string;
  type: 'webhook' | 'polling';
  output: JsonSchema;
  [extension: `x-${string}`]: unknown;
}

/** Lifecycle status of a connector, as the platform's `connector.status` column holds it. */
export type ConnectorStatus = 'draft' | 'beta' | 'stable' | 'deprecated';

/** One connector's manifest: the contents of `<manifests dir>/<slug>.json`. */
export interface Manifest {
  name: string;
  slug: string;
  /** Semver; optional in a file, always set on a stored version. */
  version?: string;
  description: string;
  category: string;
  status: ConnectorStatus;
  nango: { provider_config_key: string; provider?: string; [key: string]: unknown };
  /** How a connection authenticates; absent beside an `oauth` block, which then implies OAUTH2 (or OAUTH1). */
  auth_mode?: AuthMode;
  /** Present exactly for the OAuth modes; OAUTH2_CC needs only `token_url`. */
  oauth?: {
    authorization_url?: string;
    token_url?: string;
    scopes?: string[];
    [key: string]: unknown;
  };
  /** Where an API key goes (auth_mode API_KEY). */
  api_key?: { in: 'header' | 'query'; name: string; format?: string; [key: string]: unknown };
  /** Settings of the other modes' own blocks (basic, app, jwt, tba), as the schema describes them. */
  basic?: Record<string, unknown>;
  app?: Record<string, unknown>;
  jwt?: Record<string, unknown>;
  tba?: Record<string, unknown>;
  /** What a user enters when connecting besides credentials, keyed by setting id. */
  connection_settings?: Record<
    string,
    { title: string; optional?: boolean; [key: string]: unknown }
  >;
  actions: Record<string, Action>;
  triggers: Record<string, Trigger>;
  /** The wheel with the connector's code: an https URL template with `{slug}` and `{version}`. */
  wheel_url?: string;
  [extension: `x-${string}`]: unknown;
}

/** One problem found in a manifest: names the file, the revision and the JSON pointer. */
export interface ManifestProblem {
  /** Path of the file, relative to the repository root where known. */
  file: string;
  /** The git revision the file was read at; absent for a working-tree file. */
  revision?: string;
  /** RFC 6901 JSON pointer to the offending value ('' for the whole document). */
  pointer: string;
  /** 1-based line and column of the offending value, where the text was parseable that far. */
  line?: number;
  column?: number;
  /** A stable machine-readable code, e.g. 'duplicate-key', 'schema', 'slug-mismatch'. */
  code: string;
  /** A sentence a person can act on. */
  message: string;
}

/** The result of reading one manifest: errors are data, not exceptions. */
export type ManifestResult =
  | { ok: true; manifest: Manifest; hash: string }
  | { ok: false; errors: ManifestProblem[] };

/** A 1-based line and column in the manifest text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Where each value starts, by RFC 6901 JSON pointer: an object member at its key, an array item at its value. */
export interface PositionMap extends Iterable<[string, SourcePosition]> {
  get(pointer: string): SourcePosition | undefined;
}
