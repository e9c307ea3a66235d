import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import type { GitRepository } from '../git/index.js';
import { readConnector } from './readConnector.js';
import type { Reader } from './reader.js';
import { readOperatorActions } from './readOperatorActions.js';
import { readSlugs } from './readSlugs.js';
import { readStatus } from './readStatus.js';
import { readVersion } from './readVersion.js';
import { readVersionAtRevision } from './readVersionAtRevision.js';
import { readVersionHistory } from './readVersionHistory.js';

/** A {@link Reader} over an open database and repository (the caller opens and closes them). */
export function databaseReader(session: {
  config: Config;
  database: Database;
  repository: GitRepository;
}): Reader {
  const { config, database, repository } = session;
  const { db } = database;
  return {
    repositoryName: repository.path,
    readStatus: () => readStatus({ config, database, repository }),
    readConnector: (slug) => readConnector(db, slug),
    readVersionHistory: (slug) => readVersionHistory(db, slug),
    readVersion: (ref) => readVersion(db, ref),
    readVersionAtRevision: (ref) =>
      readVersionAtRevision({ db, repository, dir: config.path }, ref),
    readOperatorActions: (filter) => readOperatorActions(db, filter),
    readSlugs: () => readSlugs(db),
  };
}
