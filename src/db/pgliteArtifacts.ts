import { readFile } from 'node:fs/promises';
import type { PGliteOptions } from '@electric-sql/pglite';

/** What `PGlite.create` is handed ready: its PostgreSQL, compiled. */
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
 * Starts reading and compiling PGlite's PostgreSQL (`pglite.wasm`, 9 MB), once per process.
 * PGlite does it itself, but only once its module is imported and its file bundle read; begun
 * here, as soon as a command is known to open the embedded store, V8 compiles on its background
 * threads while this thread loads the command, takes the store's lock and runs git. (The file
 * bundle, `pglite.data`, is left to PGlite: handing it over as a Blob cost two 6 MB copies, more
 * than reading it early saved.) Null if it cannot be read: PGlite then finds the file itself, and
 * reports what is wrong.
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
