// Where a process's memory is: process.memoryUsage() split, plus the WebAssembly heap of any
// PGlite instance created after memoryTracker() (PGlite.create is wrapped to see them).
import type { PGlite } from '@electric-sql/pglite';

/** One sample, in MB. `rss` covers all the rest; `wasm` is PGlite's WebAssembly memory (0 on PostgreSQL). */
export interface MemorySplit {
  rss: number;
  /** V8's JS heap: used, and reserved. */
  heapUsed: number;
  heapTotal: number;
  /** Memory of C++ objects bound to JS, including `arrayBuffers` (Buffers: git output, pg messages). */
  external: number;
  arrayBuffers: number;
  /** The WebAssembly.Memory of the PGlite instances (it only grows, so the last is the largest). */
  wasm: number;
}

const MB = 1024 * 1024;
const SAMPLE_MS = 20;

/**
 * Samples memory every 20 ms between start() and stop(); stop() returns the sample with the
 * largest RSS (the split at the peak, as near as a 20 ms sample gets to resourceUsage().maxRSS).
 */
export async function memoryTracker() {
  const instances: PGlite[] = [];
  const { PGlite: Class } = await import('@electric-sql/pglite');
  const create = Class.create.bind(Class);
  Class.create = (async (...args: Parameters<typeof Class.create>) => {
    const instance = await create(...args);
    instances.push(instance);
    return instance;
  }) as typeof Class.create;
  const wasm = () =>
    instances.reduce(
      (sum, p) =>
        sum + ((p as unknown as { mod?: { HEAPU8?: Uint8Array } }).mod?.HEAPU8?.byteLength ?? 0),
      0,
    );
  const sample = (): MemorySplit => {
    const m = process.memoryUsage();
    const round = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
    return {
      rss: round(m.rss),
      heapUsed: round(m.heapUsed),
      heapTotal: round(m.heapTotal),
      external: round(m.external),
      arrayBuffers: round(m.arrayBuffers),
      wasm: round(wasm()),
    };
  };
  let peak = sample();
  let timer: NodeJS.Timeout | null = null;
  return {
    sample,
    start() {
      peak = sample();
      // The full split is taken only when RSS passes the peak: process.memoryUsage() walks V8's
      // heap spaces (~0.4 ms), 42 ms of a 2.9 s full sync when taken at every sample.
      timer = setInterval(() => {
        if (process.memoryUsage.rss() / MB <= peak.rss) return;
        const now = sample();
        if (now.rss > peak.rss) peak = now;
      }, SAMPLE_MS);
    },
    stop(): MemorySplit {
      if (timer) clearInterval(timer);
      const now = sample();
      return now.rss > peak.rss ? now : peak;
    },
  };
}
