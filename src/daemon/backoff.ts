/** How long a failing loop waits before its next try. */
export interface BackoffOptions {
  /** Wait after the first failure. @default 500 */
  initialMs?: number;
  /** The longest wait, however many failures in a row. @default 30_000 */
  maxMs?: number;
}

/**
 * The wait after `contiguousErrors` failures in a row: doubling from `initialMs`, capped at
 * `maxMs`, with "equal jitter" (between half and all of the capped value) so that many daemons
 * failing on the same outage do not retry in lockstep. `random` returns a number in [0, 1).
 */
export function computeBackoff(
  contiguousErrors: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initialMs = options.initialMs ?? 500;
  const maxMs = Math.max(options.maxMs ?? 30_000, initialMs);
  if (contiguousErrors <= 0) return 0;
  // 2 ** 40 is already far beyond any cap; clamping keeps the arithmetic finite.
  const exponent = Math.min(contiguousErrors - 1, 40);
  const capped = Math.min(maxMs, initialMs * 2 ** exponent);
  const half = capped / 2;
  return Math.round(half + random() * half);
}
