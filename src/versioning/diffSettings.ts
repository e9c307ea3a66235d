import { makeChange, quote } from './change.js';
import { diffGeneric } from './diffGeneric.js';
import { isRecord, own, sameJson, unionKeys } from './sameJson.js';
import type { Change } from './types.js';

/** Whether a connection must fill the setting in (`optional` is false by default). */
function required(setting: unknown): boolean {
  return !(isRecord(setting) && own(setting, 'optional') === true);
}

/**
 * Changes to `connection_settings`, what a user enters when connecting: a required setting added
 * (or an optional one made required) is major, since existing connections lack it; an optional
 * one added, one removed or made optional is minor; labels, help and `pattern` are patches.
 */
export function diffSettings(old: unknown, next: unknown): Change[] {
  if (sameJson(old, next)) return [];
  const before = isRecord(old) ? old : {};
  const after = isRecord(next) ? next : {};
  if ((old !== undefined && !isRecord(old)) || (next !== undefined && !isRecord(next))) {
    return diffGeneric(old, next, ['connection_settings'], ['connection_settings']);
  }
  return unionKeys(before, after).flatMap((id): Change[] => {
    const was = own(before, id);
    const is = own(after, id);
    const at = ['connection_settings', id];
    const name = `connection setting ${quote(id)}`;
    if (sameJson(was, is)) return [];
    if (was === undefined) {
      return required(is)
        ? [
            makeChange(
              at,
              'added',
              'major',
              `required ${name} added: existing connections lack it and must be updated`,
            ),
          ]
        : [
            makeChange(
              at,
              'added',
              'minor',
              `optional ${name} added: existing connections keep working without it`,
            ),
          ];
    }
    if (is === undefined) {
      return [
        makeChange(
          at,
          'removed',
          'minor',
          `${name} removed: existing connections keep working, their value is no longer used`,
        ),
      ];
    }
    const changes: Change[] = [];
    if (required(was) !== required(is)) {
      changes.push(
        required(is)
          ? makeChange(
              [...at, 'optional'],
              'changed',
              'major',
              `${name} made required: existing connections without it stop working`,
            )
          : makeChange(
              [...at, 'optional'],
              'changed',
              'minor',
              `${name} made optional: existing connections keep working`,
            ),
      );
    }
    if (!isRecord(was) || !isRecord(is)) return [...changes, ...diffGeneric(was, is, at, at)];
    for (const key of unionKeys(was, is)) {
      if (key === 'optional' && required(was) !== required(is)) continue;
      const effect =
        key === 'optional'
          ? 'the same meaning (default false), no effect'
          : 'existing connections keep working';
      changes.push(
        ...diffGeneric(
          own(was, key),
          own(is, key),
          [...at, key],
          ['connection_settings', id, key],
          undefined,
          effect,
        ),
      );
    }
    return changes;
  });
}
