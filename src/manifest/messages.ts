import type { ErrorObject } from 'ajv/dist/2020.js';
import { childPointer, displayPath } from './pointer.js';
import { describeWheelUrl } from './wheelUrl.js';

/** One schema error in words: where it is, a stable code and a sentence a person can act on. */
export interface DescribedError {
  pointer: string;
  code: string;
  message: string;
}

/** A square-bracket placeholder such as `[subdomain]`, as the grant corpus writes them. */
const BRACKET_PLACEHOLDER = /\[([^\]]*)\]/;

/** Shows a value briefly inside a message: strings as they are, others as JSON, long ones cut. */
export function showValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

function describeType(error: ErrorObject, where: string): string {
  const wanted = String(error.params.type)
    .split(',')
    .map((type) => TYPE_WORDS[type] ?? type)
    .join(' or ');
  if (where === 'actions' || where === 'triggers') {
    const id = where === 'actions' ? 'action' : 'trigger';
    if (Array.isArray(error.data))
      return `\`${where}\` must be an object keyed by ${id} id, not a list`;
    return `\`${where}\` must be an object keyed by ${id} id (got ${kindOf(error.data)})`;
  }
  return `\`${where}\` must be ${wanted} (got ${kindOf(error.data)})`;
}

function describePattern(error: ErrorObject, where: string): DescribedError {
  const got = showValue(error.data);
  const base = { pointer: error.instancePath, code: 'invalid-value' };
  if (error.schemaPath === '#/properties/slug/pattern') {
    const message = `\`slug\` must be lowercase letters and digits in words joined by single hyphens, like google-mail (got \`${got}\`)`;
    return { ...base, message };
  }
  if (error.schemaPath === '#/properties/version/pattern') {
    return { ...base, message: `\`version\` must be a semver version like 1.2.3 (got \`${got}\`)` };
  }
  if (error.schemaPath === '#/properties/wheel_url/pattern' && typeof error.data === 'string') {
    return { ...base, ...describeWheelUrl(error.data) };
  }
  if (error.schemaPath === '#/$defs/httpsUrl/pattern' && typeof error.data === 'string') {
    if (BRACKET_PLACEHOLDER.test(error.data)) {
      const braced = error.data.replace(new RegExp(BRACKET_PLACEHOLDER, 'g'), '{$1}');
      const message = `\`${where}\` writes a placeholder in square brackets (\`${got}\`); square brackets are not allowed in a URL, write \`{placeholder}\` instead: \`${braced}\``;
      return { ...base, code: 'url-placeholder', message };
    }
    const message = error.data.startsWith('https://')
      ? `\`${where}\` must be a well-formed https URL; \`{placeholder}\` segments are allowed (got \`${got}\`)`
      : `\`${where}\` must be an https URL (got \`${got}\`)`;
    return { ...base, message };
  }
  return {
    ...base,
    message: `\`${where}\` must match the pattern ${error.params.pattern} (got \`${got}\`)`,
  };
}

/** Describes one ajv error (after the anyOf/oneOf noise is gone) as a pointer, code and sentence. */
export function describeSchemaError(error: ErrorObject): DescribedError {
  const pointer = error.instancePath;
  const where = displayPath(pointer);
  const got = showValue(error.data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const message =
        pointer === ''
          ? `unknown top-level key \`${key}\`: only the documented keys and \`x-\` extensions are allowed`
          : `unknown key \`${key}\` in \`${where}\`: only the documented keys and \`x-\` extensions are allowed`;
      return { pointer: childPointer(pointer, key), code: 'unknown-key', message };
    }
    case 'required': {
      const key = String(error.params.missingProperty);
      const message =
        pointer === ''
          ? `missing required top-level key \`${key}\``
          : `\`${where}\` is missing the required key \`${key}\``;
      return { pointer: childPointer(pointer, key), code: 'missing-key', message };
    }
    case 'propertyNames': {
      const key = String(error.params.propertyName);
      const kind = where === 'triggers' ? 'trigger' : 'action';
      const message = `${kind} id \`${key}\` in \`${where}\` must be lowercase letters, digits and underscores, starting with a letter (like send_email)`;
      return { pointer: childPointer(pointer, key), code: 'invalid-key', message };
    }
    case 'type':
      return { pointer, code: 'wrong-type', message: describeType(error, where) };
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).join(', ');
      return {
        pointer,
        code: 'invalid-value',
        message: `\`${where}\` must be one of ${allowed} (got \`${got}\`)`,
      };
    }
    case 'const':
      return {
        pointer,
        code: 'invalid-value',
        message: `\`${where}\` must be \`${showValue(error.params.allowedValue)}\` (got \`${got}\`)`,
      };
    case 'pattern':
      return describePattern(error, where);
    case 'minLength':
      if (error.params.limit === 1)
        return { pointer, code: 'invalid-value', message: `\`${where}\` must not be empty` };
      return {
        pointer,
        code: 'invalid-value',
        message: `\`${where}\` must be at least ${error.params.limit} characters`,
      };
    case 'maxLength':
      return {
        pointer,
        code: 'invalid-value',
        message: `\`${where}\` must be at most ${error.params.limit} characters (got ${String(error.data).length})`,
      };
    case 'uniqueItems':
      return {
        pointer,
        code: 'invalid-value',
        message: `\`${where}\` must not repeat an item (items ${error.params.j} and ${error.params.i} are equal)`,
      };
    case 'anyOf':
    case 'oneOf': {
      const description = String(error.parentSchema?.description ?? 'one of the allowed forms');
      const wanted = description.charAt(0).toLowerCase() + description.slice(1).replace(/\.$/, '');
      return {
        pointer,
        code: 'invalid-value',
        message: `\`${where}\` must be ${wanted} (got \`${got}\`)`,
      };
    }
    default:
      return {
        pointer,
        code: 'invalid-value',
        message: `\`${where}\` ${error.message ?? 'is not valid'}`,
      };
  }
}
