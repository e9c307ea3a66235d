import { childPointer } from './pointer.js';

/** One value the database could not store, or a version that could never be bumped. */
export interface StoreProblem {
  /** RFC 6901 pointer to the value (for a key, to its member), raw: may hold the very character refused. */
  pointer: string;
  code: 'unstorable-text' | 'unstorable-number' | 'unbumpable-version';
  message: string;
}

/**
 * A NUL, or a UTF-16 surrogate without its other half: PostgreSQL's jsonb refuses both. With the
 * `u` flag a surrogate pair is one code point, so the class matches only unpaired halves.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is looked for.
const UNSTORABLE = /[\u0000\ud800-\udfff]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const UNSTORABLE_ALL = /[\u0000\ud800-\udfff]/gu;
/** The largest version number part that can still be bumped: semver numbers stop at 2^53 - 1. */
const MAX_PART = Number.MAX_SAFE_INTEGER - 1;
/** semver refuses longer version strings. */
const MAX_VERSION_LENGTH = 256;

/**
 * A string as it can be stored and shown: NUL and unpaired surrogates written as `\uXXXX`
 * escapes, everything else kept. For messages and pointers that quote a hostile value.
 */
export function storableText(text: string): string {
  if (!UNSTORABLE.test(text)) return text;
  return text.replace(UNSTORABLE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function textProblem(pointer: string, what: string, text: string): StoreProblem {
  const found = text.match(UNSTORABLE)?.[0] ?? '';
  const name =
    found === '\u0000'
      ? 'a NUL character (\\u0000)'
      : `an unpaired surrogate (\\u${found.charCodeAt(0).toString(16)})`;
  return {
    pointer,
    code: 'unstorable-text',
    message: `${what} holds ${name}, which PostgreSQL cannot store: remove it`,
  };
}

/**
 * Everything in a parsed manifest that PostgreSQL's jsonb would refuse, found before any write:
 * NUL characters and unpaired surrogates in strings and keys, numbers too large for a double
 * (JSON.parse makes them Infinity, stored as null), and a `version` whose next bump would not be
 * a version. Pure; the value was parsed with a depth limit, so the walk is bounded.
 */
export function findStoreProblems(value: unknown): StoreProblem[] {
  const problems: StoreProblem[] = [];
  const version = (value as { version?: unknown } | null)?.version;
  // Nearly every manifest is storable: a walk that builds no pointers says so (a third of the
  // cost); pointers are built only to name what is wrong.
  if (!isStorable(value)) walkProblems(value, problems);
  if (typeof version === 'string') problems.push(...versionProblems(version));
  return problems;
}

/** Whether every string, key and number in the value can be stored (nothing else is built). */
function isStorable(node: unknown): boolean {
  if (typeof node === 'string') return !UNSTORABLE.test(node);
  if (typeof node === 'number') return Number.isFinite(node);
  if (Array.isArray(node)) return node.every(isStorable);
  if (node === null || typeof node !== 'object') return true;
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    if (UNSTORABLE.test(key) || !isStorable((node as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** Adds a problem, at its JSON pointer, for every string, key and number the store refuses. */
function walkProblems(value: unknown, problems: StoreProblem[]): void {
  const walk = (node: unknown, pointer: string) => {
    if (typeof node === 'string') {
      if (UNSTORABLE.test(node)) problems.push(textProblem(pointer, 'the string', node));
    } else if (typeof node === 'number') {
      if (!Number.isFinite(node)) {
        problems.push({
          pointer,
          code: 'unstorable-number',
          message: 'the number is too large to store (beyond ±1.8e308): write a smaller one',
        });
      }
    } else if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, childPointer(pointer, index));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        const child = childPointer(pointer, key);
        if (UNSTORABLE.test(key)) problems.push(textProblem(child, 'the key', key));
        walk(item, child);
      }
    }
  };
  walk(value, '');
}

/** A version string whose numbers cannot be bumped (or that semver cannot read at all). */
function versionProblems(version: string): StoreProblem[] {
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (parts === null) return []; // not semver: the schema says so
  const tooHigh = parts.slice(1, 4).some((part) => part.length > 16 || Number(part) > MAX_PART);
  if (!tooHigh && version.length <= MAX_VERSION_LENGTH) return [];
  const why = tooHigh
    ? `each of its numbers must be at most ${MAX_PART}, so that the next version exists`
    : `it must be at most ${MAX_VERSION_LENGTH} characters`;
  return [
    {
      pointer: '/version',
      code: 'unbumpable-version',
      message: `\`version\` ${storableText(version.slice(0, 40))}${version.length > 40 ? '...' : ''} cannot be used: ${why}`,
    },
  ];
}
