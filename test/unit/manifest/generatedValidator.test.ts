import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENERATED_VALIDATOR, validatorSource } from '../../../scripts/generateValidator.js';
import { validate as generated } from '../../../src/manifest/firstErrorValidator.generated.js';
import { manifestSchema, newSchemaCompiler } from '../../../src/manifest/schemaCompiler.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { GRANT_CORPUS_DIR, jsonFilesIn } from '../../helpers/manifestFolders.js';

const corpus = jsonFilesIn(GRANT_CORPUS_DIR).map(
  (name) => JSON.parse(readFileSync(path.join(GRANT_CORPUS_DIR, name), 'utf8')) as unknown,
);

/** The schema compiled now, as validate.ts compiles it for the messages (without allErrors). */
const compiled = newSchemaCompiler({}).compile(manifestSchema);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The value with the node at `path` (indices into each level's keys or items) replaced or removed. */
function mutate(value: Json, path: readonly number[], replacement: Json | undefined): Json {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement ?? null;
  const [step = 0, ...rest] = path;
  if (Array.isArray(value)) {
    if (value.length === 0) return value;
    const index = step % value.length;
    const copy = [...value];
    if (rest.length === 0 && replacement === undefined) copy.splice(index, 1);
    else copy[index] = mutate(value[index] as Json, rest, replacement);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return value;
  const key = keys[step % keys.length] as string;
  const copy = { ...value };
  if (rest.length === 0 && replacement === undefined) delete copy[key];
  else copy[key] = mutate(value[key] as Json, rest, replacement);
  return copy;
}

describe('the validator compiled ahead of time (firstErrorValidator.generated.js)', () => {
  it('is what the schema and the installed ajv generate now: run `npm run generate` if not', () => {
    expect(readFileSync(GENERATED_VALIDATOR, 'utf8') === validatorSource()).toBe(true);
  });

  it('answers as the schema compiled at run time on every corpus manifest', () => {
    expect(corpus.length).toBeGreaterThan(200);
    for (const manifest of corpus) expect(generated(manifest)).toBe(compiled(manifest));
  });

  it('answers as the schema compiled at run time on manifests with a node replaced or removed', () => {
    const bases = [buildManifest() as unknown as Json, ...(corpus.slice(0, 40) as Json[])];
    fc.assert(
      fc.property(
        fc.nat(bases.length - 1),
        fc.array(fc.nat(50), { minLength: 1, maxLength: 6 }),
        fc.option(fc.jsonValue() as fc.Arbitrary<Json>, { nil: undefined }),
        (base, at, replacement) => {
          const value = mutate(bases[base] as Json, at, replacement);
          expect(generated(value)).toBe(compiled(value));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
