/** Keys parseJson refuses anywhere (prototype pollution); their presence sends a text to it. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** parseJson refuses values nested deeper than this. */
const MAX_DEPTH = 256;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** Object keys in valid JSON text: strings followed (after whitespace) by `:`. */
function countKeys(text: string): number {
  let keys = 0;
  // Valid JSON has no `"` outside strings, so each one found here opens a string.
  for (let open = text.indexOf('"'); open !== -1; ) {
    let close = text.indexOf('"', open + 1);
    for (;;) {
      let slashes = 0;
      while (text.charCodeAt(close - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    let next = close + 1;
    while (next < text.length && text.charCodeAt(next) <= 0x20) next++;
    if (text.charCodeAt(next) === COLON) keys++;
    open = text.indexOf('"', next);
  }
  return keys;
}

/** Object members in a parsed value, or -1 when it has a forbidden key or is nested too deep. */
function countMembers(value: unknown, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  if (!Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.some((key) => FORBIDDEN_KEYS.has(key))) return -1;
    count += keys.length;
  }
  for (const child of children) {
    const inner = countMembers(child, depth + 1);
    if (inner < 0) return -1;
    count += inner;
  }
  return count;
}

/**
 * The fast path of `checkManifest`: a JSON object parsed by the native JSON.parse, or undefined
 * whenever the text needs parseJson's care (not JSON, not an object, a BOM, a duplicate or
 * forbidden key, too deep). When it returns a value, parseJson would return the same value with
 * no problems; only the positions, needed to report problems, are missing.
 */
export function parseJsonQuickly(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const members = countMembers(value, 0);
  if (members < 0) return undefined;
  // JSON.parse keeps the last of duplicate keys silently: fewer members than keys in the text
  // means a duplicate. The text is valid JSON, so every `"` outside a string opens one.
  return countKeys(text) === members ? (value as Record<string, unknown>) : undefined;
}
