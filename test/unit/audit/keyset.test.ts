import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKeyset, encodeKeyset, type Keyset } from '../../../src/audit/keyset.js';

const slug = fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}$/);
const timestamp = fc
  .tuple(
    fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999_999 }),
  )
  .map(
    ([d, micros]) =>
      `${d.toISOString().slice(0, 19).replace('T', ' ')}.${String(micros).padStart(6, '0')}`,
  );
const keyset: fc.Arbitrary<Keyset> = fc.oneof(
  slug.map((s) => ({ kind: 'slug' as const, slug: s })),
  fc
    .tuple(timestamp, fc.uuid())
    .map(([createdAt, id]) => ({ kind: 'version' as const, createdAt, id })),
);

describe('keyset tokens', () => {
  it('decode what encode wrote, and only as their own kind', () => {
    fc.assert(
      fc.property(keyset, (k) => {
        const token = encodeKeyset(k);
        expect(token).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
        expect(decodeKeyset(token, k.kind)).toEqual({ ok: true, keyset: k });
        const other = k.kind === 'slug' ? 'version' : 'slug';
        expect(decodeKeyset(token, other).ok).toBe(false);
      }),
    );
  });

  it('refuse any other text by name, never throwing', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.constantFrom('slug', 'version') as fc.Arbitrary<Keyset['kind']>,
        (text, kind) => {
          const result = decodeKeyset(text, kind);
          if (!result.ok) expect(result.error).toMatch(/^invalid after: /);
          else expect(encodeKeyset(result.keyset)).toBe(text);
        },
      ),
    );
  });

  it.each([
    ['empty', ''],
    ['too long', 'A'.repeat(257)],
    ['not base64url', 'a+b/c='],
    ['an object', Buffer.from('{"kind":"slug"}').toString('base64url')],
    ['a slug with a quote', Buffer.from(`["s","a'b"]`).toString('base64url')],
    ['a slug too long', Buffer.from(`["s","${'a'.repeat(65)}"]`).toString('base64url')],
    ['extra fields', Buffer.from('["s","a","b"]').toString('base64url')],
  ])('refuses %s', (_, token) => {
    expect(decodeKeyset(token, 'slug')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^invalid after: /),
    });
  });
});
