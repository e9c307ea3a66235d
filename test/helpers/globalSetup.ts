import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory that test files copy, or '' on PostgreSQL. */
    embeddedTemplateDir: string;
    /** The migrated template database on TEST_DATABASE_URL's server, or ''. */
    postgresTemplate: string;
  }
}

// One template per run: two runs on one server (a developer's and CI's) must not drop each other's.
export const TEMPLATE_DATABASE = `manifest_sync_test_template_${process.pid}`;

/** Migrates once into a template (a database, or a PGlite directory) that each test file copies. */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${TEMPLATE_DATABASE}`;
    const database = await openDatabase({ url: url.toString(), dataDir: '', holder: 'test setup' });
    await migrateToLatest(database.db);
    await database.close();
    project.provide('postgresTemplate', TEMPLATE_DATABASE);
    project.provide('embeddedTemplateDir', '');
    return async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'manifest-sync-template-'));
  const database = await openDatabase({ url: null, dataDir: dir, holder: 'test setup' });
  await migrateToLatest(database.db);
  await database.close();
  project.provide('embeddedTemplateDir', dir);
  project.provide('postgresTemplate', '');
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
