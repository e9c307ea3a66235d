import { readConnectorLineage } from '../db/operations/connectors/readConnectorLineage.js';
import { slugFromPath } from '../manifest/index.js';
import { rewindState } from '../plan/rewindState.js';
import type { ConnectorState } from '../plan/types.js';
import type { SyncContext, SyncTarget } from './types.js';

/**
 * A reader of the state the database held when its cursor was at `revision` (an ancestor of the
 * cursor): for a dry run of a range that starts before the cursor, so it plans what a real sync of
 * that range would write. git is asked once (the revision's history and snapshot), the database
 * once per batch of slugs.
 */
export function readStatesAt(
  context: SyncContext,
  target: SyncTarget,
  revision: string,
): (slugs: string[]) => Promise<Map<string, ConnectorState>> {
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
  return async (slugs) => {
    point ??= load();
    const at = await point;
    const states = new Map<string, ConnectorState>();
    for (const lineage of await readConnectorLineage(database.db, slugs)) {
      const state = rewindState(lineage, at);
      if (state) states.set(state.slug, state);
    }
    return states;
  };
}
