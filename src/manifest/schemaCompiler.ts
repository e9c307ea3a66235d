import type { Options } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import schema from './manifest.schema.json' with { type: 'json' };

/** The manifest JSON Schema (draft 2020-12), as editors and the validator use it. */
export const manifestSchema = schema;

/**
 * The ajv the schema is compiled with: the one definition of both validators, the one compiled
 * ahead of time (scripts/generateValidator.ts passes `code`) and the one compiled at run time for
 * the messages (validate.ts).
 */
export function newSchemaCompiler(options: Options): Ajv2020 {
  const ajv = new Ajv2020({ ...options, strict: true });
  formats.default(ajv, ['uri-reference']);
  // Per-value help for editors (VS Code shows it in completion); no validation meaning.
  ajv.addKeyword({ keyword: 'enumDescriptions', schemaType: 'array' });
  return ajv;
}
