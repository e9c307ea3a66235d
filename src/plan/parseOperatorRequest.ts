import { SLUG_PATTERN } from '../manifest/index.js';
import type { OperatorRequest, VersionAction } from './operatorTypes.js';
import { isUnstorable } from './storableText.js';

/** The longest reason kept (an operator's sentence, not a document). */
export const MAX_REASON = 2000;

/** An operator request as strings, from the CLI's flags or the admin API's query. */
export interface RawOperatorRequest {
  action: string;
  slug: string | null | undefined;
  /** rollback's `--to`; pin's, yank's and unyank's version (`1.2.3` or `slug@1.2.3`). */
  version?: string | null | undefined;
  reason?: string | null | undefined;
  /** When a pin stops holding: an ISO 8601 time, or a duration from now such as `30m`, `2h`, `7d`. */
  until?: string | null | undefined;
}

const ACTIONS: readonly VersionAction[] = ['rollback', 'pin', 'unpin', 'yank', 'unyank'];
const DURATION = /^(\d{1,6})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const VERSION_REF = /^([a-z0-9-]{1,64}@)?[0-9A-Za-z.+-]{1,256}$/;

/** Reads `--until`: a duration from `now`, or an ISO 8601 time (UTC when no offset is given). */
export function parseUntil(text: string, now: Date): Date | string {
  const duration = DURATION.exec(text);
  if (duration) {
    const unit = duration[2] as keyof typeof UNIT_MS;
    return new Date(now.getTime() + Number(duration[1]) * UNIT_MS[unit]);
  }
  if (!ISO_TIME.test(text))
    return `--until must be a time (2026-12-24T18:00Z) or a duration (30m, 2h, 7d); got '${text.slice(0, 80)}'`;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) && text.includes('T');
  const date = new Date(hasZone ? text : `${text}${text.includes('T') ? 'Z' : 'T00:00Z'}`);
  if (Number.isNaN(date.getTime())) return `--until is not a real time: '${text}'`;
  return date;
}

/**
 * Checks an operator request from a stranger (a CLI user or an HTTP client) before anything reads
 * the database: a known action, a well-formed slug and version, a reason, a valid `until`. Pure.
 */
export function parseOperatorRequest(
  raw: RawOperatorRequest,
  now: Date,
): { ok: true; request: OperatorRequest } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false, error }) as const;
  const action = ACTIONS.find((a) => a === raw.action);
  if (!action) return fail(`unknown action '${String(raw.action).slice(0, 40)}'`);
  const slug = raw.slug ?? '';
  if (slug.length > 64 || !SLUG_PATTERN.test(slug))
    return fail(
      'invalid slug: lowercase letters and digits in words joined by single hyphens, at most 64 characters',
    );
  const version = raw.version ?? null;
  if (version !== null && !VERSION_REF.test(version))
    return fail(`invalid version '${version.slice(0, 80)}': expected 1.2.3 or slug@1.2.3`);
  const reason = (raw.reason ?? '').trim();
  if (reason === '')
    return fail(`${action} needs a reason (--reason): the audit trail records why`);
  if (reason.length > MAX_REASON) return fail(`the reason is longer than ${MAX_REASON} characters`);
  if (isUnstorable(reason))
    return fail('the reason contains a NUL or an unpaired surrogate, which the database refuses');
  let until: Date | null = null;
  if (raw.until !== undefined && raw.until !== null) {
    if (action !== 'rollback' && action !== 'pin')
      return fail(`--until applies to rollback and pin only`);
    const parsed = parseUntil(raw.until, now);
    if (typeof parsed === 'string') return fail(parsed);
    until = parsed;
  }
  switch (action) {
    case 'rollback':
      return { ok: true, request: { action, slug, to: version, reason, until } };
    case 'pin':
      return { ok: true, request: { action, slug, version, reason, until } };
    case 'unpin':
      return { ok: true, request: { action, slug, reason } };
    default:
      if (version === null) return fail(`${action} needs a version: ${action} ${slug}@1.2.3`);
      return { ok: true, request: { action, slug, version, reason } };
  }
}
