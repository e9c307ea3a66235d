/**
 * `wheel_url`: where a connector's code is, as a URL template. Pure: the manifest schema's
 * pattern decides what is accepted; this file explains a refusal and resolves a template.
 */

/** The placeholders a wheel URL may contain, replaced with the connector's slug and decided version. */
export const WHEEL_PLACEHOLDERS = ['slug', 'version'] as const;

/** What fills a wheel URL's placeholders. */
export interface WheelValues {
  slug: string;
  /** The version this sync decided (semver, normalized: no build metadata). */
  version: string;
}

/**
 * Resolves a wheel URL template with the version the sync decided; null when the manifest
 * declares no wheel. Every `{slug}` and `{version}` is replaced; nothing else is touched (the
 * schema allows no other placeholder, and a slug or semver version needs no URL escaping).
 */
export function resolveWheelUrl(template: string | undefined, values: WheelValues): string | null {
  if (template === undefined) return null;
  return template.replace(/\{(slug|version)\}/g, (_, name: 'slug' | 'version') => values[name]);
}

/** What is wrong with a refused `wheel_url`, for a person: a code and a sentence. */
export interface WheelUrlProblem {
  code: 'invalid-value' | 'url-placeholder';
  message: string;
}

const WHERE = '`wheel_url`';

/**
 * Why a `wheel_url` the schema's pattern refused is refused, checked in the order an author
 * would fix it: scheme, credentials, placeholders, the `.whl` ending, then anything else. The
 * value is never echoed with its credentials or query (both may carry a secret).
 */
export function describeWheelUrl(url: string): WheelUrlProblem {
  const { authority } = splitAuthority(url);
  const shown = showUrl(url);
  if (authority.includes('@')) {
    const message = `${WHERE} carries credentials in the URL (\`${shown}\`): a manifest is read by everyone who can read the repository; serve the wheel from a URL that needs none`;
    return { code: 'invalid-value', message };
  }
  if (!url.startsWith('https://')) {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    const message =
      scheme === 'http'
        ? `${WHERE} must be an https URL: a wheel fetched over plain http can be replaced on the way (got \`${shown}\`)`
        : `${WHERE} must be an https URL, starting with \`https://\` (got \`${shown}\`)`;
    return { code: 'invalid-value', message };
  }
  const bracket = /\[([^\]]*)\]/.exec(url);
  if (bracket) {
    const message = `${WHERE} writes a placeholder in square brackets (\`[${bracket[1]}]\`); write \`{slug}\` or \`{version}\` instead`;
    return { code: 'url-placeholder', message };
  }
  const unknown = [...url.matchAll(/\{([^{}]*)\}/g)]
    .map((match) => match[1] ?? '')
    .find((name) => !(WHEEL_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown !== undefined) {
    const name = unknown.length > 40 ? `${unknown.slice(0, 37)}...` : unknown;
    const message = `${WHERE} has the unknown placeholder \`{${name}}\`: only \`{slug}\` and \`{version}\` are replaced (with the connector's slug and the version this sync decides)`;
    return { code: 'url-placeholder', message };
  }
  if (/[{}]/.test(url.replace(/\{(slug|version)\}/g, ''))) {
    const message = `${WHERE} has an unclosed \`{\` or a stray \`}\`: write placeholders as \`{slug}\` or \`{version}\` (got \`${shown}\`)`;
    return { code: 'url-placeholder', message };
  }
  if (/[?#]/.test(url) || !/[^/]\.whl$/.test(url)) {
    const message = `${WHERE} must end in \`.whl\`: the URL of the wheel file itself, without a query or fragment (got \`${shown}\`)`;
    return { code: 'invalid-value', message };
  }
  const message = `${WHERE} must be a well-formed https URL: a host name, then a path of letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = : @ / (anything else percent-encoded as %XX) (got \`${shown}\`)`;
  return { code: 'invalid-value', message };
}

/** A URL's authority (what comes before the path: `user:pass@host:port`), with or without a scheme. */
function splitAuthority(url: string): { prefix: string; authority: string; rest: string } {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  const end = url.slice(scheme.length).search(/[/?#]/);
  const authority =
    end < 0 ? url.slice(scheme.length) : url.slice(scheme.length, scheme.length + end);
  return { prefix: scheme, authority, rest: url.slice(scheme.length + authority.length) };
}

/** A URL for a message: credentials masked, query and fragment cut, long ones shortened. */
function showUrl(url: string): string {
  const { prefix, authority, rest } = splitAuthority(url);
  const host = authority.includes('@')
    ? `***@${authority.slice(authority.lastIndexOf('@') + 1)}`
    : authority;
  const masked = `${prefix}${host}${rest}`.replace(/[?#].*$/s, (rest) =>
    rest.length > 1 ? `${rest[0]}…` : rest,
  );
  // A refusal's message is stored as text, which PostgreSQL refuses with a NUL in it.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
  const printable = masked.replace(/[\u0000-\u001f\u007f]/g, '�');
  return printable.length > 120 ? `${printable.slice(0, 117)}...` : printable;
}
