/** The manifest module: pure parse, validate, canonicalize and hash of connector manifests. */
export {
  AUTH_MODES,
  type AuthMode,
  effectiveAuthMode,
  isAuthMode,
  isImpliedAuthMode,
  MODE_BLOCKS,
  OAUTH_MODES,
} from './authMode.js';
export { canonicalize, hashManifest } from './canonical.js';
export { type CheckOptions, checkManifest, MAX_MANIFEST_BYTES } from './check.js';
export { orderManifestKeys } from './keyOrder.js';
export { formatLocation, locateInText } from './location.js';
export { type ParsedJson, type PositionMap, parseJson, type SourcePosition } from './parse.js';
export { childPointer, displayPath, pointerSegments } from './pointer.js';
export { manifestSchema } from './schemaCompiler.js';
export { findSlugClashes, SLUG_PATTERN, slugFromPath } from './slug.js';
export { findStoreProblems, type StoreProblem, storableText } from './storable.js';
export type * from './types.js';
export { validateManifest } from './validate.js';
export { resolveWheelUrl, WHEEL_PLACEHOLDERS, type WheelValues } from './wheelUrl.js';
