import { readFile } from 'node:fs/promises';
import type { PGliteOptions } from '@electric-sql/pglite';

/** PGlite's two large artifacts, ready for `PGlite.create`: its compiled PostgreSQL and its files. */
export interface PgliteArtifacts {
  pgliteWasmModule: NonNullable<PGliteOptions['pgliteWasmModule']>;
}

/** The one WebAssembly call made here (neither ES2023's lib nor @types/node 20 declares it). */
const { compile } = (
  globalThis as unknown as {
    WebAssembly: { compile(bytes: Uint8Array): Promise<PgliteArtifacts['pgliteWasmModule']> };
  }
).WebAssembly;

let prepared: Promise<PgliteArtifacts | null> | null = null;

/**
 * Starts reading and compiling PGlite's PostgreSQL (`pglite.wasm`, 9 MB) and reading its file
 * bundle (`pglite.data`, 6 MB), once per process. PGlite does both itself, but only after its
 * module is imported and one after the other; begun here, at the start of an open, V8 compiles
 * on its background threads while this thread imports PGlite, takes the store's lock and runs
 * git. Null if they cannot be read: PGlite then finds them itself, and reports what is wrong.
 */
export function preparePglite(): Promise<PgliteArtifacts | null> {
  prepared ??= (async () => {
    const wasm = await readFile(
      new URL('pglite.wasm', import.meta.resolve('@electric-sql/pglite')),
    );
    return { pgliteWasmModule: await compile(wasm) };
  })().catch(() => null);
  return prepared;
}
