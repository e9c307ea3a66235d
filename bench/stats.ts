/** The median of a list of numbers (0 when empty). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile by nearest rank (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}
