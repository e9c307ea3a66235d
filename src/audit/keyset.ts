import { SLUG_PATTERN } from '../manifest/slug.js';

/**
 * Where a page of a list ends, as the next page's `?after=` token. A keyset, not an offset: the
 * next page starts strictly after the last row shown, so rows inserted meanwhile never shift it.
 * - `slug`: lists in slug order (connectors; the versions of one commit)
 * - `version`: one connector's versions, newest first by `(created_at, id)`; `createdAt` is the
 *   database's own text of the timestamp, so no precision is lost on the way through JavaScript
 */
export type Keyset =
  | { kind: 'slug'; slug: string }
  | { kind: 'version'; createdAt: string; id: string };

/** A token or why it is refused. */
export type KeysetResult = { ok: true; keyset: Keyset } | { ok: false; error: string };

/** Longest token accepted: a version keyset is ~110 characters. */
const MAX_TOKEN = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** PostgreSQL's text of a `timestamp`: `2026-01-02 09:30:00` with up to six fraction digits. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The opaque `?after=` token for a keyset (base64url of a small JSON array). Pure. */
export function encodeKeyset(keyset: Keyset): string {
  const fields = keyset.kind === 'slug' ? ['s', keyset.slug] : ['v', keyset.createdAt, keyset.id];
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
}

/**
 * Reads an `?after=` token of the expected kind. Anything else — too long, not base64url, not the
 * JSON this module writes, another list's token, a slug, timestamp or id out of shape — is refused
 * with a sentence naming the parameter, before any SQL. Pure.
 */
export function decodeKeyset(token: string, kind: Keyset['kind']): KeysetResult {
  const refuse = (why: string): KeysetResult => ({
    ok: false,
    error: `invalid after: ${why}; pass the 'next' value of the previous page unchanged`,
  });
  if (token.length === 0 || token.length > MAX_TOKEN || !BASE64URL.test(token))
    return refuse(`not a page token (base64url, at most ${MAX_TOKEN} characters)`);
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return refuse('not a page token');
  }
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string'))
    return refuse('not a page token');
  const [tag, ...rest] = fields as string[];
  if (kind === 'slug' && tag === 's' && rest.length === 1) {
    const [slug = ''] = rest;
    if (slug.length <= 64 && SLUG_PATTERN.test(slug)) return { ok: true, keyset: { kind, slug } };
    return refuse('its slug is malformed');
  }
  if (kind === 'version' && tag === 'v' && rest.length === 2) {
    const [createdAt = '', id = ''] = rest;
    if (TIMESTAMP.test(createdAt) && UUID.test(id))
      return { ok: true, keyset: { kind, createdAt, id } };
    return refuse('its timestamp or id is malformed');
  }
  return refuse('a token of another list');
}
