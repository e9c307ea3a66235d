/** The planner: a revision's manifests and the database's state in, a SyncPlan out. Pure. */
export { advanceState } from './advanceState.js';
export { branchView, holdPointers, newestUnyanked, newestVersion, pinHolds } from './holds.js';
export type * from './operatorTypes.js';
export { checkFile, planManifest } from './planManifest.js';
export { planOperatorAction } from './planOperatorAction.js';
export { missingFiles, planRevision } from './planRevision.js';
export type * from './types.js';
