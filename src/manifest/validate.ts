import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { describeAuthError } from './authMessages.js';
import { validate as firstErrorValidator } from './firstErrorValidator.generated.js';
import { describeSchemaError } from './messages.js';
import { locatePointer } from './pointer.js';
import { manifestSchema, newSchemaCompiler } from './schemaCompiler.js';
import type { ManifestProblem, PositionMap } from './types.js';

let everyError: ValidateFunction | null = null;

/**
 * The schema's validator is built two ways.
 * - `firstErrorValidator` stops at the first error and builds none: a quarter faster on the valid
 *   manifests nearly every run validates. It is compiled ahead of time (`npm run generate` writes
 *   `firstErrorValidator.generated.js`; a test fails when it is stale): compiling the schema cost
 *   each process that validated anything 80-160 ms of CPU, a tenth of a full sync of 10,000.
 * - `everyErrorValidator` collects each error with its data and parent schema, for the messages.
 *   It is compiled here, once a manifest fails. Both give the same answer: `allErrors` changes
 *   which errors are reported, never whether there is one.
 */
function everyErrorValidator(): ValidateFunction {
  everyError ??= newSchemaCompiler({ allErrors: true, verbose: true }).compile(manifestSchema);
  return everyError;
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
  if (firstErrorValidator(value)) return [];
  const validateSchema = everyErrorValidator();
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
