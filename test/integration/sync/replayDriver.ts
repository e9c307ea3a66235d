import { readCursor } from '../../../src/db/operations/cursor/readCursor.js';
import type { GitRepository } from '../../../src/git/index.js';
import { type ReplayEvent, replayCommits } from '../../../src/sync/replayCommits.js';
import { resolveTarget } from '../../../src/sync/target.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { type SyncHarness, silentLogger } from './harness.js';

/** Commits gmail's editions `from`..`to` (its description changes), one commit each; their shas. */
export function commitEditions(h: SyncHarness, from: number, to: number): string[] {
  const shas: string[] = [];
  for (let i = from; i <= to; i++) {
    h.writeManifest(buildManifest({ description: `Gmail, edition ${i}.` }));
    shas.push(h.commit(`gmail ${i}`));
  }
  return shas;
}

/**
 * The replay a sync would run from the cursor, for the test to drive event by event: over
 * `repository` (opened by the test, perhaps wrapped to make git fail or slow), aborted by `signal`.
 */
export async function startReplay(h: SyncHarness, repository: GitRepository, signal?: AbortSignal) {
  const database = await h.db();
  const context = {
    config: h.config,
    repository,
    database,
    logger: silentLogger,
    ...(signal ? { signal } : {}),
  };
  const target = await resolveTarget(h.config, repository, database.db);
  const cursor = (await readCursor(database.db, target))?.revision ?? null;
  const replay = replayCommits(context, target, { since: cursor, expected: cursor, dryRun: false });
  return { replay, target, database };
}

/**
 * Runs a replay to its end: the commits it reported applied, and the error it ended with (null
 * when it finished). `onEvent` sees each event as it comes.
 */
export async function drain(
  replay: AsyncGenerator<ReplayEvent>,
  onEvent: (event: ReplayEvent, applied: readonly string[]) => void = () => {},
): Promise<{ applied: string[]; error: Error | null }> {
  const applied: string[] = [];
  try {
    for await (const event of replay) {
      if (event.kind === 'applied') applied.push(event.revision);
      onEvent(event, applied);
    }
    return { applied, error: null };
  } catch (error) {
    return { applied, error: error as Error };
  }
}
