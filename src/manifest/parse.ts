import { childPointer, pointerSegments } from './pointer.js';
import { scanToken, showChar } from './scan.js';
import type { ManifestProblem, PositionMap, SourcePosition } from './types.js';

// Defined in types.ts (pointer.ts needs them too, and must not import the parser); exported
// here as well for the parser's callers.
export type { PositionMap, SourcePosition } from './types.js';

/**
 * One parsed value's place: its key in its parent and where it starts. The parser builds these
 * instead of a pointer string per value: a 1 MiB file of arrays nested 250 deep has half a million
 * values whose pointers would be ~500 characters each (seconds of string work on a file that is
 * refused anyway). Pointers are spelled out only for problems and lookups.
 */
interface Node {
  key: string | number;
  parent: Node | null;
  at: SourcePosition;
  members: Map<string, Node> | Node[] | null;
}

/** The JSON pointer of a node, built by walking up to the root. */
function pointerOf(node: Node): string {
  const keys: (string | number)[] = [];
  for (let n: Node | null = node; n?.parent; n = n.parent) keys.push(n.key);
  let pointer = '';
  for (let i = keys.length - 1; i >= 0; i--) pointer = childPointer(pointer, keys[i] ?? '');
  return pointer;
}

/** A PositionMap over the parsed nodes: `get` walks the pointer's segments down from the root. */
class PositionTree implements PositionMap {
  constructor(readonly root: Node | null) {}

  get(pointer: string): SourcePosition | undefined {
    let node = this.root;
    for (const segment of pointerSegments(pointer)) {
      const members: Map<string, Node> | Node[] | null | undefined = node?.members;
      if (!members) return undefined;
      node = Array.isArray(members)
        ? /^(0|[1-9][0-9]*)$/.test(segment)
          ? (members[Number(segment)] ?? null)
          : null
        : (members.get(segment) ?? null);
    }
    return node?.at;
  }

  *[Symbol.iterator](): Iterator<[string, SourcePosition]> {
    const stack: [Node, string][] = this.root ? [[this.root, '']] : [];
    for (let next = stack.pop(); next; next = stack.pop()) {
      const [node, pointer] = next;
      yield [pointer, node.at];
      const members = node.members ? [...node.members.entries()] : [];
      for (const [key, child] of members.reverse()) {
        stack.push([child, childPointer(pointer, key)]);
      }
    }
  }
}

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

/**
 * Parses JSON text into a value and a pointer-to-position map, reporting problems as data.
 * Text that is not JSON is found by a first walk that keeps nothing (no values, no positions), so
 * a malformed file costs a scan of its text, not the memory of everything before its error.
 */
export function parseJson(text: string, file: string): ParsedJson {
  const scanned = walkJson(text, file, false);
  if (scanned.value === undefined) return scanned;
  return walkJson(text, file, true);
}

/** Looks for problems without keeping anything: `value` is undefined when the text is not JSON. */
export function scanJson(text: string, file: string): ParsedJson {
  return walkJson(text, file, false);
}

/** One walk over the text; with `build` false it only looks for problems (the value is a marker). */
function walkJson(text: string, file: string, build: boolean): ParsedJson {
  const problems: ManifestProblem[] = [];
  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = pos;
  let root: Node | null = null;

  const here = (): SourcePosition => ({ line, column: pos - lineStart + 1 });
  const problem = (pointer: string, code: string, message: string, at = here()) =>
    ({ file, pointer, line: at.line, column: at.column, code, message }) satisfies ManifestProblem;
  const fail = (node: Node, message: string, key?: string): never => {
    const pointer = key === undefined ? pointerOf(node) : childPointer(pointerOf(node), key);
    if (pos >= length) {
      const ending = `${message}: the file ends too early (truncated?)`;
      throw new Stop(problem(pointer, 'truncated-json', ending));
    }
    throw new Stop(
      problem(pointer, 'invalid-json', `${message}, found \`${showChar(text, pos)}\``),
    );
  };
  /** Reads a string, number or literal at `pos`; strings never span lines, so `line` stays right. */
  const token = (node: Node): unknown => {
    const scanned = scanToken(text, pos);
    if (scanned.ok) {
      pos = scanned.end;
      return scanned.value;
    }
    pos = scanned.at;
    if (pos >= length) fail(node, scanned.message);
    throw new Stop(problem(pointerOf(node), 'invalid-json', scanned.message));
  };
  const nodeAt = (parent: Node | null, key: string | number, at: SourcePosition): Node => ({
    key,
    parent,
    at,
    members: null,
  });

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

  const parseObject = (node: Node, depth: number): Record<string, unknown> => {
    pos++; // {
    const object: Record<string, unknown> = {};
    const members = new Map<string, Node>();
    if (build) node.members = members;
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return object;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail(node, 'expected a quoted key');
      const at = here();
      const key = token(node) as string;
      const child = nodeAt(node, key, at);
      skipSpace();
      if (text[pos] !== ':') fail(node, `expected \`:\` after the key \`${key}\``, key);
      pos++;
      const first = members.get(key);
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push(
          problem(
            pointerOf(child),
            'forbidden-key',
            `the key \`${key}\` is not allowed anywhere in a manifest (prototype pollution)`,
            at,
          ),
        );
        parseValue(child, depth + 1);
      } else if (first !== undefined) {
        const where = ` (first at line ${first.at.line}, column ${first.at.column})`;
        problems.push(
          problem(
            pointerOf(child),
            'duplicate-key',
            `duplicate key \`${key}\` at line ${at.line}, column ${at.column}${where}; the first value is kept`,
            at,
          ),
        );
        // Parsed for its problems only: the first value and its positions are kept.
        parseValue(child, depth + 1);
      } else {
        members.set(key, child);
        const value = parseValue(child, depth + 1);
        if (build) object[key] = value;
      }
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return object;
      }
      if (text[pos] !== ',') fail(node, `expected \`,\` or \`}\` after the value of \`${key}\``);
      pos++;
      skipSpace();
      if (text[pos] === '}') fail(node, 'trailing comma before `}`');
    }
  };

  const parseArray = (node: Node, depth: number): unknown[] => {
    pos++; // [
    const array: unknown[] = [];
    const members: Node[] = [];
    if (build) node.members = members;
    let index = 0;
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return array;
    }
    for (;;) {
      skipSpace();
      const child = nodeAt(node, index++, here());
      const value = parseValue(child, depth + 1);
      if (build) {
        members.push(child);
        array.push(value);
      }
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return array;
      }
      if (text[pos] !== ',') fail(node, 'expected `,` or `]` after an array item');
      pos++;
      skipSpace();
      if (text[pos] === ']') fail(node, 'trailing comma before `]`');
    }
  };

  function parseValue(node: Node, depth: number): unknown {
    skipSpace();
    if (depth > MAX_DEPTH) {
      throw new Stop(
        problem(
          pointerOf(node),
          'too-deep',
          `values are nested more than ${MAX_DEPTH} levels deep`,
        ),
      );
    }
    if (pos >= length) fail(node, 'expected a value');
    if (text[pos] === '{') return parseObject(node, depth);
    if (text[pos] === '[') return parseArray(node, depth);
    return token(node);
  }

  try {
    skipSpace();
    if (pos >= length) {
      problems.push(problem('', 'invalid-json', 'the file is empty: a manifest is a JSON object'));
      return { value: undefined, positions: new PositionTree(null), problems };
    }
    root = nodeAt(null, '', here());
    const value = parseValue(root, 0);
    skipSpace();
    if (pos < length) fail(root, 'unexpected text after the end of the JSON value');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
      problems.push(
        problem('', 'not-an-object', `a manifest must be a JSON object, not ${got}`, root.at),
      );
    }
    return { value, positions: new PositionTree(root), problems };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    problems.push(error.problem);
    return { value: undefined, positions: new PositionTree(root), problems };
  }
}
