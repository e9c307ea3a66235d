import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { sameSecret } from './sameSecret.js';

/** Where a verified webhook came from. */
export type WebhookProvider = 'github' | 'gitlab';

/** What a verified webhook announces: a push (with its ref), GitHub's ping, or anything else. */
export type WebhookKind = 'push' | 'ping' | 'other';

/** The verdict on one webhook delivery; `status` is the HTTP status to answer a refusal with. */
export type WebhookVerdict =
  | { ok: true; provider: WebhookProvider; kind: WebhookKind; ref?: string }
  | { ok: false; status: 400 | 401; reason: string };

/** A delivery as the HTTP layer received it: headers (any case) and the raw, unparsed body. */
export interface WebhookRequest {
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  body: Buffer;
  secret: string;
}

const GITHUB_SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks a webhook's signature (GitHub `X-Hub-Signature-256`, an HMAC-SHA256 of the raw body)
 * or token (GitLab `X-Gitlab-Token`) in constant time, then reads the pushed `ref` from the
 * body. The signature is checked before the body is parsed, so a forged body is always a 401.
 */
export function verifyWebhook({ headers, body, secret }: WebhookRequest): WebhookVerdict {
  if (secret === '') return refuse(401, 'no webhook secret is configured');
  const signature = header(headers, 'x-hub-signature-256');
  if (signature !== undefined) {
    const match = GITHUB_SIGNATURE.exec(signature.trim());
    if (!match?.[1]) return refuse(401, 'malformed X-Hub-Signature-256');
    const given = Buffer.from(match[1], 'hex');
    const expected = createHmac('sha256', secret).update(body).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse(401, 'signature does not match');
    }
    return readGithubPayload(
      header(headers, 'x-github-event'),
      header(headers, 'content-type'),
      body,
    );
  }
  const token = header(headers, 'x-gitlab-token');
  if (token !== undefined) {
    if (!sameSecret(token, secret)) return refuse(401, 'token does not match');
    return readGitlabPayload(body);
  }
  return refuse(401, 'missing X-Hub-Signature-256 or X-Gitlab-Token');
}

function readGithubPayload(
  event: string | undefined,
  contentType: string | undefined,
  body: Buffer,
): WebhookVerdict {
  if (event === 'ping') return { ok: true, provider: 'github', kind: 'ping' };
  const payload = parsePayload(body, contentType);
  if (payload === undefined) return refuse(400, 'body is not a JSON object');
  const ref = typeof payload.ref === 'string' ? payload.ref : undefined;
  // Without the event header (some relays drop it) a body with a ref is taken for a push.
  const isPush = event === 'push' || (event === undefined && ref !== undefined);
  if (!isPush) return { ok: true, provider: 'github', kind: 'other' };
  if (ref === undefined) return refuse(400, 'push without a ref');
  return { ok: true, provider: 'github', kind: 'push', ref };
}

function readGitlabPayload(body: Buffer): WebhookVerdict {
  const payload = parsePayload(body, 'application/json');
  if (payload === undefined) return refuse(400, 'body is not a JSON object');
  if (payload.object_kind !== 'push') return { ok: true, provider: 'gitlab', kind: 'other' };
  if (typeof payload.ref !== 'string') return refuse(400, 'push without a ref');
  return { ok: true, provider: 'gitlab', kind: 'push', ref: payload.ref };
}

/** GitHub sends either JSON or a form with the JSON in its `payload` field. */
function parsePayload(
  body: Buffer,
  contentType: string | undefined,
): Record<string, unknown> | undefined {
  let text = body.toString('utf8');
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    text = new URLSearchParams(text).get('payload') ?? '';
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function refuse(status: 400 | 401, reason: string): WebhookVerdict {
  return { ok: false, status, reason };
}
