import { readConnectorLineage } from '../db/operations/connectors/readConnectorLineage.js';
import {
  fittingPrefix,
  type ReadStatesOptions,
  readVersionManifests,
  type StatesRead,
} from '../db/operations/connectors/readConnectorStates.js';
import { slugFromPath } from '../manifest/index.js';
import { latestAt, rewindState } from '../plan/rewindState.js';
import type { ConnectorState } from '../plan/types.js';
import type { SyncContext, SyncTarget } from './types.js';

/** Reads the state of some slugs within a budget, as `readConnectorStates` does. */
export type ReadStatesWithin = (options: ReadStatesOptions) => Promise<StatesRead>;

/**
 * A reader of the state the database held when its cursor was at `revision` (an ancestor of the
 * cursor): for a dry run of a range that starts before the cursor, so it plans what a real sync of
 * that range would write. git is asked once (the revision's history and snapshot), the database
 * per batch of slugs: every version's number, hash, commit and size, then the manifest of the one
 * then latest, for as many connectors as the budget allows of those (see `readConnectorStates`).
 */
export function readStatesAt(
  context: SyncContext,
  target: SyncTarget,
  revision: string,
): ReadStatesWithin {
  const { repository, database } = context;
  let point: Promise<Parameters<typeof rewindState>[1]> | null = null;
  const load = async () => {
    const history = [...(await repository.listRevisions(revision))];
    const position = new Map(history.map((sha, index) => [sha, index]));
    const snapshot = await repository.readSnapshot({ revision, dir: target.path });
    const present = new Set(snapshot.map((entry) => slugFromPath(entry.path)));
    return {
      position: (sha: string) => position.get(sha),
      present: (slug: string) => present.has(slug),
    };
  };
  return async ({ slugs, budget = Number.POSITIVE_INFINITY, spent = 0 }) => {
    point ??= load();
    const at = await point;
    const lineages = new Map(
      (await readConnectorLineage(database.db, slugs)).map((lineage) => [lineage.slug, lineage]),
    );
    // Each connector's version then latest, picked once: its size decides what is read.
    const latest = new Map(
      [...lineages].map(([slug, lineage]) => [slug, latestAt(lineage, at)?.latest ?? null]),
    );
    const sizes = new Map(
      slugs.map((slug) => [slug, { manifest_bytes: latest.get(slug)?.bytes ?? 0 }]),
    );
    const read = fittingPrefix(slugs, sizes, budget, spent);
    const chosen = slugs.slice(0, read).flatMap((slug) => latest.get(slug) ?? []);
    const manifests = await readVersionManifests(
      database.db,
      chosen.map((version) => version.id),
    );
    for (const version of chosen) version.manifest = manifests.get(version.id) ?? null;
    const states = new Map<string, ConnectorState>();
    const bytes = new Map<string, number>();
    for (const slug of slugs.slice(0, read)) {
      const lineage = lineages.get(slug);
      const state = lineage ? rewindState(lineage, at) : null;
      if (!state) continue;
      states.set(slug, state);
      bytes.set(slug, latest.get(slug)?.bytes ?? 0);
    }
    return { states, read, bytes };
  };
}
