import { describe, expect, it } from 'vitest';
import { computeBackoff } from '../../../src/daemon/backoff.js';

const top = () => 0.999_999;
const bottom = () => 0;

describe('computeBackoff', () => {
  it.each([
    { errors: 0, expected: 0 },
    { errors: 1, expected: 500 },
    { errors: 2, expected: 1_000 },
    { errors: 3, expected: 2_000 },
    { errors: 6, expected: 16_000 },
    { errors: 7, expected: 30_000 },
    { errors: 50, expected: 30_000 },
    { errors: 10_000, expected: 30_000 },
  ])(
    'doubles from 500 ms and caps at 30 s by default ($errors errors -> $expected ms)',
    ({ errors, expected }) => {
      expect(computeBackoff(errors, {}, top)).toBe(expected);
    },
  );

  it('jitters between half and all of the capped wait', () => {
    expect(computeBackoff(3, { initialMs: 100, maxMs: 10_000 }, bottom)).toBe(200);
    expect(computeBackoff(3, { initialMs: 100, maxMs: 10_000 }, () => 0.5)).toBe(300);
    expect(computeBackoff(3, { initialMs: 100, maxMs: 10_000 }, top)).toBe(400);
    for (let i = 0; i < 200; i++) {
      const wait = computeBackoff(20, { initialMs: 100, maxMs: 1_000 });
      expect(wait).toBeGreaterThanOrEqual(500);
      expect(wait).toBeLessThanOrEqual(1_000);
    }
  });

  it('never goes below the initial wait when the cap is set lower than it', () => {
    expect(computeBackoff(5, { initialMs: 2_000, maxMs: 100 }, top)).toBe(2_000);
  });
});
