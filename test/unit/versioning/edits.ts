import type { Manifest } from '../../../src/manifest/types.js';

/** One edit of a manifest, applied in place to a copy (see `edited`). */
export type Edit = (manifest: Record<string, unknown>) => void;

/** A copy of `manifest` with the edits applied in order; the original is untouched. */
export function edited(manifest: Manifest, edits: readonly Edit[]): Manifest {
  const copy = structuredClone(manifest) as unknown as Record<string, unknown>;
  for (const edit of edits) edit(copy);
  return copy as unknown as Manifest;
}

/** Set the value at a JSON pointer (its parent must exist). */
export function set(pointer: string, value: unknown): Edit {
  return (manifest) => {
    const [parent, key] = locate(manifest, pointer);
    if (Array.isArray(parent)) parent[Number(key)] = structuredClone(value);
    else parent[key] = structuredClone(value);
  };
}

/** Remove the member at a JSON pointer (it must exist). */
export function remove(pointer: string): Edit {
  return (manifest) => {
    const [parent, key] = locate(manifest, pointer);
    if (!(key in parent)) throw new Error(`nothing at ${pointer}`);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  };
}

/** Append to the array at a JSON pointer. */
export function push(pointer: string, value: unknown): Edit {
  return (manifest) => {
    const target = valueAt(manifest, pointer);
    if (!Array.isArray(target)) throw new Error(`no array at ${pointer}`);
    target.push(structuredClone(value));
  };
}

/** The value at a JSON pointer, or undefined. */
export function valueAt(document: unknown, pointer: string): unknown {
  let current = document;
  for (const segment of segmentsOf(pointer)) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function locate(
  document: Record<string, unknown>,
  pointer: string,
): [Record<string, unknown>, string] {
  const segments = segmentsOf(pointer);
  const key = segments.pop();
  const parent = valueAt(document, segments.map((s) => `/${escapeSegment(s)}`).join(''));
  if (key === undefined || typeof parent !== 'object' || parent === null) {
    throw new Error(`no parent for ${pointer}`);
  }
  return [parent as Record<string, unknown>, key];
}

function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function escapeSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
