import { randomId, wallClock } from '../clock.js';
import type { SyncContext } from './types.js';

/** The context's clock, or the wall clock. */
export function clockOf(context: Pick<SyncContext, 'clock'>): () => Date {
  return context.clock ?? wallClock;
}

/** The context's id generator, or random UUIDs. */
export function newIdOf(context: Pick<SyncContext, 'newId'>): () => string {
  return context.newId ?? randomId;
}
