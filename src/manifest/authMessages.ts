import type { ErrorObject } from 'ajv/dist/2020.js';
import { AUTH_MODES, effectiveAuthMode, MODE_BLOCKS } from './authMode.js';
import { type DescribedError, showValue } from './messages.js';

/** Where the schema keeps the auth-mode rules; their errors are worded here. */
const RULES = '#/$defs/authRules/';

const MODE_LIST = AUTH_MODES.join(', ');

function modesOf(block: string): readonly string[] | undefined {
  return Object.hasOwn(MODE_BLOCKS, block)
    ? MODE_BLOCKS[block as keyof typeof MODE_BLOCKS]
    : undefined;
}

function modeWords(manifest: unknown): string {
  const record = manifest as Record<string, unknown>;
  const mode = effectiveAuthMode(manifest);
  if (Object.hasOwn(record, 'auth_mode')) return `this manifest's auth_mode is ${mode}`;
  return `this manifest has no \`auth_mode\`, so its \`oauth\` block makes it ${mode}`;
}

/**
 * Words an error of the auth-mode rules (`$defs/authRules` in the schema) for a person, naming the
 * mode and what to do; undefined for any other error. `manifest` is the value validated.
 */
export function describeAuthError(
  error: ErrorObject,
  manifest: unknown,
): DescribedError | undefined {
  const pointer = error.instancePath;
  if (error.schemaPath === '#/$defs/apiKey/properties/format/pattern') {
    const message = `\`api_key.format\` must contain \`{api_key}\` where the key goes, e.g. \`Bearer {api_key}\` (got \`${showValue(error.data)}\`)`;
    return { pointer, code: 'invalid-value', message };
  }
  if (error.schemaPath === '#/$defs/apiKey/properties/name/pattern') {
    const message = `\`api_key.name\` must be a header or query parameter name: letters, digits and !#$%&'*+.^_\`|~- without spaces (got \`${showValue(error.data)}\`)`;
    return { pointer, code: 'invalid-value', message };
  }
  if (!error.schemaPath.startsWith(RULES)) return undefined;
  const mode = effectiveAuthMode(manifest);
  if (error.keyword === 'required' && pointer === '') {
    const key = String(error.params.missingProperty);
    if (key === 'auth_mode') {
      const message = `missing \`auth_mode\`: say how a connection authenticates, one of ${MODE_LIST} (a manifest with an \`oauth\` block and no \`auth_mode\` is OAUTH2)`;
      return { pointer: '/auth_mode', code: 'missing-key', message };
    }
    if (key === 'oauth') {
      const needs = mode === 'OAUTH2_CC' ? 'token_url' : 'authorization_url, token_url, scopes';
      const message = `auth_mode ${mode} needs an \`oauth\` block (${needs}); a connector that does not use OAuth takes another auth_mode (${MODE_LIST})`;
      return { pointer: '/oauth', code: 'missing-key', message };
    }
  }
  if (error.keyword === 'false schema') {
    const block = pointer.slice(1);
    const modes = modesOf(block)?.join(', ') ?? '';
    const message = `\`${block}\` is only for auth_mode ${modes.replace(/, ([^,]*)$/, ' or $1')}, and ${modeWords(manifest)}: remove \`${block}\` or change \`auth_mode\``;
    return { pointer, code: 'auth-mode-mismatch', message };
  }
  if (error.keyword === 'const' && pointer === '/oauth/version') {
    const wanted = String(error.params.allowedValue);
    const message = `\`oauth.version\` is \`${String(error.data)}\` but auth_mode is ${mode}, which is OAuth ${wanted}: write \`${wanted}\` or leave \`oauth.version\` out`;
    return { pointer, code: 'auth-mode-mismatch', message };
  }
  return undefined;
}
