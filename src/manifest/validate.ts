import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { describeAuthError } from './authMessages.js';
import schema from './manifest.schema.json' with { type: 'json' };
import { describeSchemaError } from './messages.js';
import { locatePointer } from './pointer.js';
import type { ManifestProblem, PositionMap } from './types.js';

/** The manifest JSON Schema (draft 2020-12), as editors and the validator use it. */
export const manifestSchema = schema;

let firstError: ValidateFunction | null = null;
let everyError: ValidateFunction | null = null;

/**
 * The schema compiled, once, at the first manifest validated (~0.15 s of CPU, which a run with
 * nothing to validate never pays). Two ways: `every` collects each error with its data and parent
 * schema, for the messages; `first` stops at the first error and builds none, a quarter faster on
 * the valid manifests that nearly every run validates (the same answer: `allErrors` changes which
 * errors are reported, never whether there is one). `every` is compiled only once a manifest fails.
 */
function schemaValidator(errors: 'first' | 'every'): ValidateFunction {
  if (errors === 'first') {
    firstError ??= compileSchema({});
    return firstError;
  }
  everyError ??= compileSchema({ allErrors: true, verbose: true });
  return everyError;
}

function compileSchema(options: { allErrors?: boolean; verbose?: boolean }): ValidateFunction {
  const ajv = new Ajv2020({ ...options, strict: true });
  formats.default(ajv, ['uri-reference']);
  // Per-value help for editors (VS Code shows it in completion); no validation meaning.
  ajv.addKeyword({ keyword: 'enumDescriptions', schemaType: 'array' });
  return ajv.compile(schema);
}

function isWithin(pointer: string, root: string): boolean {
  return pointer === root || pointer.startsWith(`${root}/`);
}

/**
 * Drops ajv's chatter: the branch errors of a failed anyOf/oneOf (the combinator's own error,
 * described from its schema's description, stands for them), the inner errors of propertyNames
 * and the errors of if/then themselves.
 */
function collapse(errors: readonly ErrorObject[]): ErrorObject[] {
  const kept: ErrorObject[] = [];
  for (const error of errors) {
    // An if/then's own error only repeats its `then` branch's, which says what is wrong.
    if (error.propertyName !== undefined || error.keyword === 'if') continue;
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      // ajv reports a combinator's branch errors immediately before the combinator's own error.
      while (
        kept.length > 0 &&
        isWithin(kept[kept.length - 1]?.instancePath ?? '', error.instancePath)
      ) {
        kept.pop();
      }
    }
    kept.push(error);
  }
  return kept;
}

/** Checks a parsed manifest against the schema; returns every problem found (none when valid). */
export function validateManifest(
  value: unknown,
  file: string,
  positions: PositionMap = new Map(),
): ManifestProblem[] {
  if (schemaValidator('first')(value)) return [];
  const validateSchema = schemaValidator('every');
  validateSchema(value);
  const problems: ManifestProblem[] = [];
  const seen = new Set<string>();
  for (const error of collapse(validateSchema.errors ?? [])) {
    const { pointer, code, message } =
      describeAuthError(error, value) ?? describeSchemaError(error);
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = locatePointer(positions, pointer);
    problems.push({
      file,
      pointer,
      ...(at && { line: at.line, column: at.column }),
      code,
      message,
    });
  }
  return problems;
}
