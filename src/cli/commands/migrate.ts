import type { Config } from '../../config.js';
import { assertConnects, openDatabase } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrate.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';

/** `manifest-sync migrate`: runs pending migrations; running it twice does nothing. */
export async function migrateCommand(config: Config): Promise<number> {
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    holder: 'manifest-sync migrate',
  });
  try {
    await assertConnects(database);
    const applied = await migrateToLatest(database.db);
    if (config.json) printJson({ database: database.location, backend: database.backend, applied });
    else if (applied.length === 0) printLines([`${database.location}: the schema is up to date`]);
    else printLines([`${database.location}: applied ${applied.join(', ')}`]);
    return ExitCode.ok;
  } finally {
    await database.close();
  }
}
