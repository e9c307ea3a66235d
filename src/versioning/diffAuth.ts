import { effectiveAuthMode, MODE_BLOCKS } from '../manifest/authMode.js';
import { kindOf, makeChange, quote } from './change.js';
import { diffOAuth } from './diffConnection.js';
import { diffGeneric } from './diffGeneric.js';
import { diffSettings } from './diffSettings.js';
import { isRecord, own, sameJson, unionKeys } from './sameJson.js';
import type { Change } from './types.js';

/** The top-level keys diffAuth owns: the mode, each mode's block and the connection settings. */
export const AUTH_KEYS: ReadonlySet<string> = new Set([
  'auth_mode',
  ...Object.keys(MODE_BLOCKS),
  'connection_settings',
]);

const KEEP_WORKING = 'existing connections keep working';

/**
 * How a connection authenticates, old against next: a changed mode is major (every existing
 * connection holds credentials of the old kind), and so is moving where an API key goes; an
 * `auth_mode` that only writes out what the `oauth` block implied is no change at all.
 */
export function diffAuth(old: Record<string, unknown>, next: Record<string, unknown>): Change[] {
  const before = effectiveAuthMode(old);
  const after = effectiveAuthMode(next);
  const changes = diffSettings(own(old, 'connection_settings'), own(next, 'connection_settings'));
  if (before !== after) {
    const reason = `auth mode changed from ${before ?? 'none'} to ${after ?? 'none'}: every existing connection holds credentials of the old kind and must be re-created`;
    changes.push(makeChange(['auth_mode'], kindOf(before, after), 'major', reason));
    for (const block of Object.keys(MODE_BLOCKS)) {
      const was = own(old, block);
      const is = own(next, block);
      if (sameJson(was, is)) continue;
      const why = `\`${block}\` ${kindOf(was, is)} with the auth mode change from ${before} to ${after}: existing connections must be re-created`;
      changes.push(makeChange([block], kindOf(was, is), 'major', why));
    }
    return changes;
  }
  changes.push(...diffOAuth(own(old, 'oauth'), own(next, 'oauth')));
  changes.push(...diffApiKey(own(old, 'api_key'), own(next, 'api_key')));
  changes.push(...diffBasic(own(old, 'basic'), own(next, 'basic')));
  for (const block of ['app', 'tba']) {
    changes.push(
      ...diffGeneric(own(old, block), own(next, block), [block], [block], undefined, KEEP_WORKING),
    );
  }
  changes.push(...diffJwt(own(old, 'jwt'), own(next, 'jwt')));
  return changes;
}

/** Where a key goes: `in`, `name` (a header's name in any case) and `format` (default the key alone). */
function placement(apiKey: Record<string, unknown>): string {
  const where = own(apiKey, 'in');
  const name = String(own(apiKey, 'name'));
  const format = own(apiKey, 'format') ?? '{api_key}';
  return `${String(where)} ${where === 'header' ? name.toLowerCase() : name} as ${String(format)}`;
}

function describePlacement(apiKey: Record<string, unknown>): string {
  const format = own(apiKey, 'format') ?? '{api_key}';
  return `${String(own(apiKey, 'in'))} ${quote(own(apiKey, 'name'))} as ${quote(format)}`;
}

function diffApiKey(old: unknown, next: unknown): Change[] {
  if (sameJson(old, next)) return [];
  const at = ['api_key'];
  if (!isRecord(old) || !isRecord(next)) {
    if (next === undefined) {
      const reason =
        'where the API key goes (`api_key`) removed: clients that followed it are no longer told how to send the key';
      return [makeChange(at, 'removed', 'major', reason)];
    }
    if (old === undefined) {
      const reason = `where the API key goes now stated (${isRecord(next) ? describePlacement(next) : quote(next)}): existing connections keep working`;
      return [makeChange(at, 'added', 'minor', reason)];
    }
    return diffGeneric(old, next, at, at);
  }
  const changes: Change[] = [];
  if (placement(old) !== placement(next)) {
    const reason = `the API key now goes in ${describePlacement(next)} instead of ${describePlacement(old)}: requests made the old way are refused`;
    changes.push(makeChange(at, 'changed', 'major', reason));
  }
  for (const key of unionKeys(old, next)) {
    if (key === 'in' || key === 'name' || key === 'format') {
      if (placement(old) === placement(next) && !sameJson(own(old, key), own(next, key))) {
        const reason = `\`api_key.${key}\` rewritten with the same meaning (header names ignore case; the default format is the key alone): no effect`;
        changes.push(
          makeChange([...at, key], kindOf(own(old, key), own(next, key)), 'patch', reason),
        );
      }
      continue;
    }
    changes.push(
      ...diffGeneric(
        own(old, key),
        own(next, key),
        [...at, key],
        [...at, key],
        undefined,
        KEEP_WORKING,
      ),
    );
  }
  return changes;
}

function diffBasic(old: unknown, next: unknown): Change[] {
  if (sameJson(old, next)) return [];
  const at = ['basic'];
  if (!isRecord(old) || !isRecord(next))
    return diffGeneric(old, next, at, at, undefined, KEEP_WORKING);
  return unionKeys(old, next).flatMap((key): Change[] => {
    const was = own(old, key);
    const is = own(next, key);
    if (key !== 'password_optional' || sameJson(was, is)) {
      return diffGeneric(was, is, [...at, key], [...at, key], undefined, KEEP_WORKING);
    }
    if (is === true) {
      const reason = 'the password may now be left empty: existing connections keep working';
      return [makeChange([...at, key], kindOf(was, is), 'minor', reason)];
    }
    if (was === true) {
      const reason =
        'the password is now required: existing connections made without one stop working';
      return [makeChange([...at, key], kindOf(was, is), 'major', reason)];
    }
    return diffGeneric(
      was,
      is,
      [...at, key],
      [...at, key],
      undefined,
      'the same meaning (default false), no effect',
    );
  });
}

function diffJwt(old: unknown, next: unknown): Change[] {
  if (sameJson(old, next)) return [];
  const at = ['jwt'];
  if (!isRecord(old) || !isRecord(next))
    return diffGeneric(old, next, at, at, undefined, KEEP_WORKING);
  return unionKeys(old, next).flatMap((key): Change[] => {
    const was = own(old, key);
    const is = own(next, key);
    if (key !== 'algorithm' || sameJson(was, is)) {
      return diffGeneric(was, is, [...at, key], [...at, key], undefined, KEEP_WORKING);
    }
    const reason = `JWT signing algorithm changed from ${was === undefined ? 'unstated' : quote(was)} to ${is === undefined ? 'unstated' : quote(is)}: the keys of existing connections may not fit and must be checked`;
    return [makeChange([...at, key], kindOf(was, is), 'major', reason)];
  });
}
