/** The planner: a revision's manifests and the database's state in, a SyncPlan out. Pure. */
export { advanceState } from './advanceState.js';
export { planManifest } from './planManifest.js';
export { planRevision, planSnapshot } from './planRevision.js';
export type * from './types.js';
