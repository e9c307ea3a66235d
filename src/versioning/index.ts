export { compareBumps, maxBump, overallBump } from './bump.js';
export { diffManifests } from './diffManifests.js';
export { diffWheel, withStoredWheel } from './diffWheel.js';
export { nextVersion, type VersionVerdict } from './nextVersion.js';
export { explainBump, summarize } from './summarize.js';
export type { Bump, Change, VersionPolicy } from './types.js';
