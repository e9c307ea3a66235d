import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares digests, not the strings, so neither content nor length leaks through timing. */
export function sameSecret(given: string, secret: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}
