import { kindOf, makeChange, quote } from './change.js';
import { sameJson } from './sameJson.js';
import type { Change } from './types.js';

const AT = ['wheel_url'];

/**
 * Changes to a manifest's `wheel_url` (the template, not the resolved URL: a new version alone
 * changes nothing). Adding a wheel is a patch: the connector now ships code, and its actions'
 * inputs and outputs, which callers depend on, are unchanged. A different template is a code
 * change, a patch. Removing it is major: actions that ran the connector's code stop working.
 */
export function diffWheel(old: unknown, next: unknown): Change[] {
  if (sameJson(old, next)) return [];
  const kind = kindOf(old, next);
  if (kind === 'removed') {
    const reason = `\`wheel_url\` removed (was ${quote(old)}): the connector no longer ships its code, so actions that ran it stop working`;
    return [makeChange(AT, kind, 'major', reason)];
  }
  if (kind === 'added') {
    const reason = `\`wheel_url\` added (${quote(next)}): the connector now ships code; its actions' inputs and outputs are unchanged, a patch`;
    return [makeChange(AT, kind, 'patch', reason)];
  }
  const reason = `\`wheel_url\` changed from ${quote(old)} to ${quote(next)}: a code change (another wheel), at least a patch`;
  return [makeChange(AT, kind, 'patch', reason)];
}

/**
 * The manifest the version engine compares a stored version by: a row made by hand (the seed's
 * ActiveCampaign 1.1.0) may carry a `wheel_url` its manifest does not declare; that URL counts
 * as the version's wheel, so a next version without one is a removal, not silence.
 */
export function withStoredWheel<T extends object>(manifest: T, wheelUrl: string | null): T {
  if (wheelUrl === null || 'wheel_url' in manifest) return manifest;
  return { ...manifest, wheel_url: wheelUrl };
}
