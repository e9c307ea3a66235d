import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import {
  assertConnects,
  type Database,
  embeddedStoreExists,
  MEMORY,
  openDatabase,
} from '../db/connection.js';
import { migrateToLatest, readSchemaState } from '../db/migrate.js';
import { DatabaseError } from '../errors.js';
import { type GitRepository, openRepository } from '../git/index.js';

/** An open database (migrated) and repository for one command or daemon. */
export interface Session {
  database: Database;
  repository: GitRepository;
  close(): Promise<void>;
}

/** Options of {@link openSession}. */
export interface SessionOptions {
  holder: string;
  /** Where a writer reports a migration and a dry run its scratch database; a reader logs nothing. */
  logger?: Logger;
  /**
   * `write` runs pending migrations; `read` never writes: it reports a database without the
   * schema (or behind it) instead; `plan` (a dry run) reads too, but plans a database without
   * the schema yet as an empty one (a scratch copy in memory, thrown away). @default 'write'
   */
  access?: 'read' | 'write' | 'plan';
  repositoryPath?: string;
}

/** Opens the repository and the database; a writer runs pending migrations, a reader checks the schema. */
export async function openSession(config: Config, options: SessionOptions): Promise<Session> {
  const access = options.access ?? 'write';
  const openRepo = () => openRepository({ path: options.repositoryPath ?? config.repo });
  const openStore = () =>
    access === 'plan' && config.databaseUrl === null && !embeddedStoreExists(config.dataDir)
      ? openScratch(options)
      : openDatabase({
          url: config.databaseUrl,
          dataDir: config.dataDir,
          holder: options.holder,
          readOnly: access !== 'write',
        });
  let repository: GitRepository;
  let database: Database;
  if (access === 'write' && config.databaseUrl === null) {
    // The repository first: a wrong --repo must not create an embedded data directory.
    repository = await openRepo();
    try {
      database = await openStore();
    } catch (error) {
      await repository.close();
      throw error;
    }
  } else {
    // Nothing is created before both are open, so git starts while the database does.
    const [opened, stored] = await Promise.allSettled([openRepo(), openStore()]);
    if (opened.status === 'rejected' || stored.status === 'rejected') {
      await Promise.all([
        opened.status === 'fulfilled' ? opened.value.close() : null,
        stored.status === 'fulfilled' ? stored.value.close() : null,
      ]);
      throw opened.status === 'rejected' ? opened.reason : (stored as PromiseRejectedResult).reason;
    }
    repository = opened.value;
    database = stored.value;
  }
  try {
    await assertConnects(database);
    if (access === 'write') {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0)
        options.logger?.info({ applied, database: database.location }, 'migrated the database');
    } else if (access === 'plan' && (await hasNoSchemaYet(database))) {
      await database.close();
      database = await openScratch(options);
    } else {
      await assertSchema(database);
    }
  } catch (error) {
    await Promise.all([repository.close(), database.close()]);
    throw error;
  }
  return {
    database,
    repository,
    close: async () => {
      await Promise.all([repository.close(), database.close()]);
    },
  };
}

/**
 * A dry run's database that has nothing of manifest-sync yet: planned as empty. A server holding
 * the platform's own connector table (rows a sync would adopt) cannot be planned without them.
 */
async function hasNoSchemaYet(database: Database): Promise<boolean> {
  if ((await readSchemaState(database.db)).kind !== 'none') return false;
  const { rows } = await sql<{
    found: string | null;
  }>`select to_regclass('connector')::text as found`.execute(database.db);
  if (rows[0]?.found)
    throw new DatabaseError(
      `${database.location} has the platform's tables but no manifest-sync schema yet: a dry run cannot plan against its rows without it (\`manifest-sync migrate\` adds it and keeps every row)`,
    );
  return true;
}

/** An empty database in memory with the schema: what a first sync would start from. */
async function openScratch(options: SessionOptions): Promise<Database> {
  const scratch = await openDatabase({ url: null, dataDir: MEMORY, holder: options.holder });
  try {
    await migrateToLatest(scratch.db);
  } catch (error) {
    await scratch.close();
    throw error;
  }
  options.logger?.info(
    'no manifest-sync schema yet: planning against an empty database in memory (nothing is written)',
  );
  return scratch;
}

/** A reader's check: the schema must be there and current, since a reader never migrates. */
async function assertSchema(database: Database): Promise<void> {
  const state = await readSchemaState(database.db);
  if (state.kind === 'none')
    throw new DatabaseError(
      `${database.location} has no manifest-sync schema yet: nothing has been synced there (\`manifest-sync migrate\` creates it, \`manifest-sync sync\` fills it)`,
    );
  if (state.kind === 'behind')
    throw new DatabaseError(
      `the schema in ${database.location} is behind this version of manifest-sync (${state.pending.join(', ')} pending): run \`manifest-sync migrate\``,
    );
}
