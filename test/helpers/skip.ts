/**
 * For `it.skipIf(...)` / `describe.skipIf(...)`: returns `skip`, and when it is true prints why,
 * so a run that skips tests says what they needed.
 */
export function skipping(skip: boolean, why: string): boolean {
  if (skip) console.warn(`skipped: ${why}`);
  return skip;
}
