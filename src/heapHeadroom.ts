import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** Heap size past which the process holds a large registry: a 10,000-manifest sync peaks at ~140 MB. */
const LARGE_HEAP_BYTES = 192 * 1024 * 1024;
/** Once the heap is large, V8 may grow it to twice what its last full collection kept. */
const GROWING_PERCENT = 100;
const CHECK_EVERY_MS = 250;

/**
 * Bounds V8's headroom once the heap is large. Before collecting again, V8 lets the heap grow to
 * up to four times what its last full collection kept: syncing 100,000 manifests, ~300 MB of heap
 * for ~75 MB live, most of the process's RSS (440–460 MB in all; 340–365 MB with the bound, in
 * the same time). Only past LARGE_HEAP_BYTES: at 10,000 manifests the extra collections cost 7%
 * of a full sync and the memory is not needed back. V8's heap limit is set only when Node starts;
 * this factor is read at each collection. Returns a function that stops watching; the timer
 * never keeps the process alive.
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
