import { hashManifest } from './canonical.js';
import { parseJson, scanJson } from './parse.js';
import { locatePointer } from './pointer.js';
import { parseJsonQuickly } from './quickParse.js';
import { SLUG_PATTERN } from './slug.js';
import { findStoreProblems, storableText } from './storable.js';
import type { Manifest, ManifestProblem, ManifestResult, PositionMap } from './types.js';
import { validateManifest } from './validate.js';

/** The largest manifest accepted, in UTF-8 bytes: 1 MiB. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Where a manifest's text came from and what it must agree with. */
export interface CheckOptions {
  /** Path of the file, relative to the repository root where known. */
  file: string;
  /** The git revision the text was read at; absent for a working-tree file. */
  revision?: string;
  /** The slug the file name implies (see `slugFromPath`); the manifest's `slug` must equal it. */
  expectedSlug?: string;
  /** Largest accepted size in UTF-8 bytes. @default MAX_MANIFEST_BYTES */
  maxBytes?: number;
  /** The file's size in bytes when its text was not read because it is too large (git's blob size). */
  bytes?: number;
}

/** Texts longer than this are scanned for syntax before JSON.parse builds them (see below). */
const SCAN_FIRST_CHARS = 64 * 1024;

/** Counts the UTF-8 bytes of a string without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) i++;
      bytes += next >= 0xdc00 && next < 0xe000 ? 4 : 3;
    } else bytes += 3;
  }
  return bytes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function slugProblems(
  manifest: Record<string, unknown>,
  file: string,
  expectedSlug: string,
  positions: PositionMap,
): ManifestProblem[] {
  if (!SLUG_PATTERN.test(expectedSlug) || expectedSlug.length > 64) {
    const message = `the file name \`${expectedSlug}.json\` is not a valid slug: use lowercase letters and digits in words joined by single hyphens, at most 64 characters`;
    return [{ file, pointer: '', line: 1, column: 1, code: 'bad-file-name', message }];
  }
  const slug = manifest.slug;
  if (typeof slug !== 'string' || slug === expectedSlug) return [];
  const message = `\`slug\` is \`${slug}\` but the file is named \`${expectedSlug}.json\`: rename the file or change the slug so they match`;
  return [{ file, pointer: '/slug', ...positions.get('/slug'), code: 'slug-mismatch', message }];
}

const NO_POSITIONS: PositionMap = new Map<string, never>();

/** Orders problems as they appear in the file; those without a line go last. */
function byPosition(a: ManifestProblem, b: ManifestProblem): number {
  const end = Number.MAX_SAFE_INTEGER;
  return (a.line ?? end) - (b.line ?? end) || (a.column ?? 0) - (b.column ?? 0);
}

/** Problems the store would meet, located in the text where positions are known. */
function storeProblems(value: unknown, file: string, positions: PositionMap): ManifestProblem[] {
  return findStoreProblems(value).map(({ pointer, code, message }) => ({
    file,
    pointer,
    ...locatePointer(positions, pointer),
    code,
    message,
  }));
}

/**
 * Reads one manifest's text: size limit, JSON, schema, slug and what the database can store,
 * reporting every problem at once. Problems quote hostile text only in storable form (NUL and
 * unpaired surrogates escaped), so a refusal can always be written and printed.
 */
export function checkManifest(text: string, opts: CheckOptions): ManifestResult {
  const { file, revision, expectedSlug, maxBytes = MAX_MANIFEST_BYTES } = opts;
  const withRevision = (problems: ManifestProblem[]) =>
    problems.map((problem) => ({
      ...problem,
      file: storableText(problem.file),
      pointer: storableText(problem.pointer),
      message: storableText(problem.message),
      ...(revision === undefined ? {} : { revision }),
    }));

  // Every UTF-16 unit is at least one UTF-8 byte and at most three, so most texts need no count.
  const bytes = opts.bytes ?? (text.length * 3 <= maxBytes ? 0 : utf8Length(text));
  if (bytes > maxBytes) {
    const message = `the file is ${bytes} bytes; a manifest may be at most ${maxBytes} bytes`;
    return { ok: false, errors: withRevision([{ file, pointer: '', code: 'too-large', message }]) };
  }

  // A large text that is not JSON is refused after a scan that keeps nothing: JSON.parse would
  // first build everything before its error (a megabyte of nested arrays: seconds of GC).
  if (text.length > SCAN_FIRST_CHARS) {
    const scanned = scanJson(text, file);
    if (scanned.value === undefined) {
      return { ok: false, errors: withRevision(scanned.problems.sort(byPosition)) };
    }
  }

  // Most manifests are valid: parse natively and validate; positions are only needed for problems.
  const quick = parseJsonQuickly(text);
  if (
    quick !== undefined &&
    validateManifest(quick, file).length === 0 &&
    (expectedSlug === undefined ||
      slugProblems(quick, file, expectedSlug, NO_POSITIONS).length === 0) &&
    findStoreProblems(quick).length === 0
  ) {
    const manifest = quick as unknown as Manifest;
    return { ok: true, manifest, hash: hashManifest(manifest) };
  }

  const parsed = parseJson(text, file);
  const problems = [...parsed.problems];
  const value = parsed.value;
  if (isObject(value)) {
    problems.push(...validateManifest(value, file, parsed.positions));
    // A value the schema already refuses is named once (its NUL is then also a schema problem).
    const named = new Set(problems.map((problem) => problem.pointer));
    problems.push(
      ...storeProblems(value, file, parsed.positions).filter((p) => !named.has(p.pointer)),
    );
    if (expectedSlug !== undefined) {
      problems.push(...slugProblems(value, file, expectedSlug, parsed.positions));
    }
  }
  if (problems.length > 0 || !isObject(value)) {
    return { ok: false, errors: withRevision(problems.sort(byPosition)) };
  }
  const manifest = value as unknown as Manifest;
  return { ok: true, manifest, hash: hashManifest(manifest) };
}
