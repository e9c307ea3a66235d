import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { type Database, openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { type GitRepository, openRepository } from '../git/index.js';

/** An open database (migrated) and repository for one command or daemon. */
export interface Session {
  database: Database;
  repository: GitRepository;
  close(): Promise<void>;
}

/** Opens the repository and the database, and runs pending migrations. */
export async function openSession(
  config: Config,
  options: { holder: string; logger: Logger; migrate?: boolean; repositoryPath?: string },
): Promise<Session> {
  const repository = await openRepository({ path: options.repositoryPath ?? config.repo });
  let database: Database;
  try {
    database = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      holder: options.holder,
    });
  } catch (error) {
    await repository.close();
    throw error;
  }
  try {
    if (options.migrate ?? true) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0)
        options.logger.info({ applied, database: database.location }, 'migrated the database');
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
