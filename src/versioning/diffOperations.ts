import { makeChange, restated } from './change.js';
import { diffGeneric } from './diffGeneric.js';
import { diffSchema } from './diffSchema.js';
import { isRecord, own, sameJson, unionKeys } from './sameJson.js';
import type { Change } from './types.js';

/** The words reasons use for each section of a manifest. */
const WORDS = {
  actions: {
    one: 'action',
    added: 'a new action, existing callers are unaffected',
    removed: 'existing callers of it would fail',
    outputAudience: 'consumers',
  },
  triggers: {
    one: 'trigger',
    added: 'new events, existing subscribers are unaffected',
    removed: 'subscribers would stop receiving events',
    outputAudience: 'subscribers',
  },
} as const;

/**
 * Changes to a manifest's `actions` or `triggers`, keyed by their stable ids: one added (minor) or
 * removed (major) change per id, otherwise the changes inside its `input` and `output` schemas
 * and patch changes for everything else (name, description, trigger type, `x-` keys).
 */
export function diffOperations(
  section: 'actions' | 'triggers',
  old: unknown,
  next: unknown,
): Change[] {
  if (sameJson(old, next)) return [];
  if (!isRecord(old) || !isRecord(next)) return diffGeneric(old, next, [section], [section]);
  const words = WORDS[section];
  return unionKeys(old, next).flatMap((id): Change[] => {
    const at = [section, id];
    const label = `${words.one} \`${id}\``;
    if (own(old, id) === undefined)
      return [makeChange(at, 'added', 'minor', `${label} added: ${words.added}`)];
    if (own(next, id) === undefined) {
      return [makeChange(at, 'removed', 'major', `${label} removed: ${words.removed}`)];
    }
    return diffOperation(section, id, own(old, id), own(next, id));
  });
}

function diffOperation(section: 'actions' | 'triggers', id: string, old: unknown, next: unknown) {
  const owner = `${WORDS[section].one} \`${id}\``;
  const at = [section, id];
  if (!isRecord(old) || !isRecord(next)) return diffGeneric(old, next, at, [], owner);
  const changes = unionKeys(old, next).flatMap((key): Change[] => {
    const here = [...at, key];
    if (key === 'input' && section === 'actions') {
      const ctx = { flow: 'input', owner, audience: 'callers', at: here, name: '' } as const;
      return diffSchema(old.input, next.input, ctx);
    }
    if (key === 'output') {
      const audience = WORDS[section].outputAudience;
      const ctx = { flow: 'output', owner, audience, at: here, name: '' } as const;
      return diffSchema(old.output, next.output, ctx);
    }
    return diffGeneric(own(old, key), own(next, key), here, [key], owner);
  });
  return changes.length > 0 ? changes : restated(old, next, at, owner);
}
