import { kindOf, makeChange, quote } from './change.js';
import { diffGeneric } from './diffGeneric.js';
import { isRecord, own, sameJson, unionKeys } from './sameJson.js';
import type { Change } from './types.js';

const KEEP_WORKING = 'existing connections keep working';

/**
 * Changes to a manifest's `oauth` block: a scope added is major (existing connections lack the
 * consent), a scope removed minor, anything else (URLs, PKCE, parameters) a patch.
 */
export function diffOAuth(old: unknown, next: unknown): Change[] {
  if (sameJson(old, next)) return [];
  if (!isRecord(old) || !isRecord(next)) return diffGeneric(old, next, ['oauth'], ['oauth']);
  return unionKeys(old, next).flatMap((key) =>
    key === 'scopes'
      ? diffScopes(old.scopes, next.scopes)
      : diffGeneric(
          own(old, key),
          own(next, key),
          ['oauth', key],
          ['oauth', key],
          undefined,
          KEEP_WORKING,
        ),
  );
}

function diffScopes(old: unknown, next: unknown): Change[] {
  if (sameJson(old, next)) return [];
  const at = ['oauth', 'scopes'];
  const before = stringSet(old ?? []);
  const after = stringSet(next ?? []);
  if (before === null || after === null) {
    return diffGeneric(old, next, at, ['oauth', 'scopes'], undefined, 'not a list of scopes');
  }
  const changes = [
    ...[...after]
      .filter((scope) => !before.has(scope))
      .map((scope) =>
        makeChange(
          at,
          'added',
          'major',
          `OAuth scope ${quote(scope)} added: existing connections lack the consent and must re-authorize`,
        ),
      ),
    ...[...before]
      .filter((scope) => !after.has(scope))
      .map((scope) =>
        makeChange(
          at,
          'removed',
          'minor',
          `OAuth scope ${quote(scope)} removed: existing connections keep working with more consent than needed`,
        ),
      ),
  ];
  if (changes.length > 0) return changes;
  return [
    makeChange(at, kindOf(old, next), 'patch', 'OAuth scopes reordered: same consent, no effect'),
  ];
}

/**
 * Changes to a manifest's `nango` block: `provider` and `provider_config_key` are major (existing
 * connections are stored under that key, made with that provider), anything else a patch.
 */
export function diffNango(old: unknown, next: unknown): Change[] {
  if (sameJson(old, next)) return [];
  if (!isRecord(old) || !isRecord(next)) return diffGeneric(old, next, ['nango'], ['nango']);
  return unionKeys(old, next).flatMap((key): Change[] => {
    const at = ['nango', key];
    if (sameJson(own(old, key), own(next, key))) return [];
    const from = `from ${show(own(old, key))} to ${show(own(next, key))}`;
    if (key === 'provider_config_key') {
      const reason = `Nango provider_config_key changed ${from}: existing connections are stored under the old key and would not be found`;
      return [makeChange(at, kindOf(own(old, key), own(next, key)), 'major', reason)];
    }
    if (key === 'provider') {
      const reason = `Nango provider changed ${from}: existing connections were made with the old provider and must be re-created`;
      return [makeChange(at, kindOf(own(old, key), own(next, key)), 'major', reason)];
    }
    return diffGeneric(own(old, key), own(next, key), at, ['nango', key], undefined, KEEP_WORKING);
  });
}

function show(value: unknown): string {
  return value === undefined ? 'none' : quote(value);
}

function stringSet(value: unknown): Set<string> | null {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return null;
  return new Set(value);
}
