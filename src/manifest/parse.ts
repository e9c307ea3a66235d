import { childPointer } from './pointer.js';
import { scanToken, showChar } from './scan.js';
import type { ManifestProblem } from './types.js';

/** A 1-based line and column in the manifest text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Where each value starts, by RFC 6901 JSON pointer: an object member at its key, an array item at its value. */
export type PositionMap = ReadonlyMap<string, SourcePosition>;

/** What `parseJson` found: the value (undefined when the text is not JSON), its positions and any problems. */
export interface ParsedJson {
  value: unknown;
  positions: PositionMap;
  problems: ManifestProblem[];
}

/** Keys refused anywhere in a manifest: assigning them can change an object's prototype downstream. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper nesting than this is refused rather than risking the stack. */
const MAX_DEPTH = 256;
/** Thrown inside the parser only, to unwind on a syntax error; never escapes `parseJson`. */
class Stop {
  constructor(readonly problem: ManifestProblem) {}
}

/** Parses JSON text into a value and a pointer-to-position map, reporting problems as data. */
export function parseJson(text: string, file: string): ParsedJson {
  const positions = new Map<string, SourcePosition>();
  const problems: ManifestProblem[] = [];
  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = pos;

  const here = (): SourcePosition => ({ line, column: pos - lineStart + 1 });
  const problem = (pointer: string, code: string, message: string, at = here()) =>
    ({ file, pointer, line: at.line, column: at.column, code, message }) satisfies ManifestProblem;
  const fail = (pointer: string, message: string): never => {
    if (pos >= length) {
      const ending = `${message}: the file ends too early (truncated?)`;
      throw new Stop(problem(pointer, 'truncated-json', ending));
    }
    throw new Stop(
      problem(pointer, 'invalid-json', `${message}, found \`${showChar(text, pos)}\``),
    );
  };
  /** Reads a string, number or literal at `pos`; strings never span lines, so `line` stays right. */
  const token = (pointer: string): unknown => {
    const scanned = scanToken(text, pos);
    if (scanned.ok) {
      pos = scanned.end;
      return scanned.value;
    }
    pos = scanned.at;
    if (pos >= length) fail(pointer, scanned.message);
    throw new Stop(problem(pointer, 'invalid-json', scanned.message));
  };
  const record = (pointer: string, at: SourcePosition) => {
    // First occurrence wins, matching the value kept for a duplicate key.
    if (!positions.has(pointer)) positions.set(pointer, at);
  };

  const skipSpace = () => {
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0d) pos++;
      else if (c === 0x0a) {
        pos++;
        line++;
        lineStart = pos;
      } else break;
    }
  };

  const parseObject = (pointer: string, depth: number): Record<string, unknown> => {
    pos++; // {
    const object: Record<string, unknown> = {};
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return object;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail(pointer, 'expected a quoted key');
      const at = here();
      const key = token(pointer) as string;
      const child = childPointer(pointer, key);
      skipSpace();
      if (text[pos] !== ':') fail(child, `expected \`:\` after the key \`${key}\``);
      pos++;
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push(
          problem(
            child,
            'forbidden-key',
            `the key \`${key}\` is not allowed anywhere in a manifest (prototype pollution)`,
            at,
          ),
        );
        parseValue(child, depth + 1);
      } else if (Object.hasOwn(object, key)) {
        const first = positions.get(child);
        const where = first ? ` (first at line ${first.line}, column ${first.column})` : '';
        problems.push(
          problem(
            child,
            'duplicate-key',
            `duplicate key \`${key}\` at line ${at.line}, column ${at.column}${where}; the first value is kept`,
            at,
          ),
        );
        parseValue(child, depth + 1);
      } else {
        record(child, at);
        object[key] = parseValue(child, depth + 1);
      }
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return object;
      }
      if (text[pos] !== ',') fail(pointer, `expected \`,\` or \`}\` after the value of \`${key}\``);
      pos++;
      skipSpace();
      if (text[pos] === '}') fail(pointer, 'trailing comma before `}`');
    }
  };

  const parseArray = (pointer: string, depth: number): unknown[] => {
    pos++; // [
    const array: unknown[] = [];
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return array;
    }
    for (;;) {
      const child = childPointer(pointer, array.length);
      skipSpace();
      record(child, here());
      array.push(parseValue(child, depth + 1));
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return array;
      }
      if (text[pos] !== ',') fail(pointer, 'expected `,` or `]` after an array item');
      pos++;
      skipSpace();
      if (text[pos] === ']') fail(pointer, 'trailing comma before `]`');
    }
  };

  function parseValue(pointer: string, depth: number): unknown {
    skipSpace();
    if (depth > MAX_DEPTH) {
      throw new Stop(
        problem(pointer, 'too-deep', `values are nested more than ${MAX_DEPTH} levels deep`),
      );
    }
    if (pos >= length) fail(pointer, 'expected a value');
    if (text[pos] === '{') return parseObject(pointer, depth);
    if (text[pos] === '[') return parseArray(pointer, depth);
    return token(pointer);
  }

  try {
    skipSpace();
    if (pos >= length) {
      problems.push(problem('', 'invalid-json', 'the file is empty: a manifest is a JSON object'));
      return { value: undefined, positions, problems };
    }
    record('', here());
    const value = parseValue('', 0);
    skipSpace();
    if (pos < length) fail('', 'unexpected text after the end of the JSON value');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
      problems.push(
        problem(
          '',
          'not-an-object',
          `a manifest must be a JSON object, not ${got}`,
          positions.get(''),
        ),
      );
    }
    return { value, positions, problems };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    problems.push(error.problem);
    return { value: undefined, positions, problems };
  }
}
