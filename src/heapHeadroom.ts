import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** Heap size past which the process holds a large registry: a 10,000-manifest sync peaks at ~130 MB. */
const LARGE_HEAP_BYTES = 160 * 1024 * 1024;
/** Once the heap is large, V8 may grow it to 1.75× what its last full collection kept. */
const GROWING_PERCENT = 75;
const CHECK_EVERY_MS = 250;

/**
 * Bounds V8's headroom once the heap is large. Before collecting again, V8 lets the heap grow to
 * up to four times what its last full collection kept: syncing 100,000 manifests, ~300 MB of heap
 * for ~75 MB live, most of the process's RSS (440–460 MB in all; 334–340 MB with the bound, in the
 * same time: 2× gave 340–378 MB, 1.6× from 192 MB cost up to 3 s more). Only past
 * LARGE_HEAP_BYTES: at 10,000 manifests a bound from the start cost 7% of a full sync, for memory
 * nobody needs back. V8's heap limit is set only when Node starts; this factor is read at each
 * collection. Returns a function that stops watching; the timer never keeps the process alive.
 */
export function boundHeapHeadroom(): () => void {
  const timer = setInterval(() => {
    if (getHeapStatistics().total_heap_size < LARGE_HEAP_BYTES) return;
    setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
    clearInterval(timer);
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
