import type { PositionMap, SourcePosition } from './types.js';

/** Appends one key or index to an RFC 6901 JSON pointer, escaping `~` and `/`. */
export function childPointer(pointer: string, key: string | number): string {
  if (typeof key === 'number') return `${pointer}/${key}`;
  if (!key.includes('~') && !key.includes('/')) return `${pointer}/${key}`;
  return `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** Splits an RFC 6901 JSON pointer into its unescaped segments ('' gives []). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A JSON pointer as a person reads it: `/actions/send_email/input` as `actions.send_email.input`. */
export function displayPath(pointer: string): string {
  let path = '';
  for (const segment of pointerSegments(pointer)) {
    if (/^(0|[1-9][0-9]*)$/.test(segment)) path += `[${segment}]`;
    else path += path === '' ? segment : `.${segment}`;
  }
  return path === '' ? '(top level)' : path;
}

/** The position of a pointer, or of its nearest ancestor that has one (for keys that are missing). */
export function locatePointer(positions: PositionMap, pointer: string): SourcePosition | undefined {
  let current = pointer;
  for (;;) {
    const found = positions.get(current);
    if (found || current === '') return found;
    current = current.slice(0, current.lastIndexOf('/'));
  }
}
