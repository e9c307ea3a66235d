import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { assertConnects, type Database, openDatabase } from '../db/connection.js';
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
  logger: Logger;
  /**
   * `write` runs pending migrations; `read` never writes: it reports a database without the
   * schema (or behind it) instead. @default 'write'
   */
  access?: 'read' | 'write';
  repositoryPath?: string;
}

/** Opens the repository and the database; a writer runs pending migrations, a reader checks the schema. */
export async function openSession(config: Config, options: SessionOptions): Promise<Session> {
  const access = options.access ?? 'write';
  const repository = await openRepository({ path: options.repositoryPath ?? config.repo });
  let database: Database;
  try {
    database = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      holder: options.holder,
      readOnly: access === 'read',
    });
  } catch (error) {
    await repository.close();
    throw error;
  }
  try {
    await assertConnects(database);
    if (access === 'write') {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0)
        options.logger.info({ applied, database: database.location }, 'migrated the database');
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
