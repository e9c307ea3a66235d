// The database half of the floors: the rows a sync writes, copied into a scratch copy of
// `connectorversion` (same columns, defaults, checks and indexes: `LIKE ... INCLUDING ALL`;
// no foreign keys) in the scenario's own database, with the least the backend allows.
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { SESSION_SETUP } from '../src/db/connection.js';
import { CopyingClient } from '../src/db/copyingClient.js';
import { copyText } from '../src/db/operations/plan/multiRow.js';
import type { BenchDatabase } from './backends.js';

/** One version row as a sync writes it; the manifest is the blob's text (PostgreSQL makes it JSONB). */
export interface FloorRow {
  id: string;
  connectorId: string;
  version: string;
  manifest: string;
  commitSha: string;
  blobOid: string;
}

const TABLE = 'bench_floor_version';
const COLUMNS =
  'id, connector_id, version, manifest, wheel_url, created_at, commit_sha, content_hash, blob_oid, bump, reasons';
const COPY_SQL = `COPY ${TABLE} (${COLUMNS}) FROM`;
const INSERT_SQL = `INSERT INTO ${TABLE} (${COLUMNS}) VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, 'patch', '[]')`;
const CREATED_AT = '2026-01-01 00:00:00';
const ROWS_PER_CHUNK = 1000;

/** The rows as COPY text-format data (escaped as the sync escapes its own), in chunks of 1,000 rows. */
export function copyChunks(rows: readonly FloorRow[]): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
    let text = '';
    for (const r of rows.slice(i, i + ROWS_PER_CHUNK))
      text += `${r.id}\t${r.connectorId}\t${r.version}\t${copyText(r.manifest)}\t\\N\t${CREATED_AT}\t${r.commitSha}\t${r.blobOid}\t${r.blobOid}\tpatch\t[]\n`;
    chunks.push(text);
  }
  return chunks;
}

/** A scratch table in the scenario's database; `close()` drops it. */
export interface Scratch {
  /** One transaction: `BEGIN`, one COPY of every row, `COMMIT`. Returns the rows copied. */
  copy(rows: readonly FloorRow[]): Promise<number>;
  /** One transaction inserting one row (the daemon's floor). */
  insertOne(row: FloorRow): Promise<void>;
  /** Empties the table between samples (not timed). */
  truncate(): Promise<void>;
  close(): Promise<void>;
}

const CREATE = `DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (LIKE connectorversion INCLUDING ALL)`;
const params = (r: FloorRow) => [
  r.id,
  r.connectorId,
  r.version,
  r.manifest,
  CREATED_AT,
  r.commitSha,
  r.blobOid,
  r.blobOid,
];

async function openPostgres(url: string): Promise<Scratch> {
  const client = new CopyingClient({ connectionString: url });
  await client.connect();
  // The session the product's writes run in.
  await client.query(SESSION_SETUP);
  await client.query(CREATE);
  return {
    async copy(rows) {
      await client.query('BEGIN');
      // As the sync copies: a statement with its data as the one parameter (db/copyStatement.ts).
      const result = await client.query(`${COPY_SQL} STDIN`, [copyChunks(rows)]);
      const copied = result.rowCount ?? 0;
      await client.query('COMMIT');
      return copied;
    },
    async insertOne(row) {
      await client.query('BEGIN');
      await client.query(INSERT_SQL, params(row));
      await client.query('COMMIT');
    },
    truncate: async () => void (await client.query(`TRUNCATE ${TABLE}`)),
    async close() {
      try {
        await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
      } finally {
        await client.end();
      }
    },
  };
}

async function openEmbedded(dataDir: string): Promise<Scratch> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite: PGlite = await PGlite.create(join(dataDir, 'db'));
  await pglite.exec(CREATE);
  return {
    async copy(rows) {
      await pglite.exec('BEGIN');
      const result = await pglite.query(`${COPY_SQL} '/dev/blob'`, [], {
        blob: new Blob(copyChunks(rows)),
      });
      await pglite.exec('COMMIT');
      return result.affectedRows ?? 0;
    },
    async insertOne(row) {
      await pglite.transaction(async (tx) => {
        await tx.query(INSERT_SQL, params(row));
      });
    },
    truncate: async () => void (await pglite.exec(`TRUNCATE ${TABLE}`)),
    async close() {
      try {
        await pglite.exec(`DROP TABLE IF EXISTS ${TABLE}`);
      } finally {
        await pglite.close();
      }
    },
  };
}

/**
 * Creates the scratch table in the scenario's database. Embedded: opens the PGlite store
 * itself, so nothing else may have it open (the bench closes its engine first).
 */
export function openScratch(database: BenchDatabase): Promise<Scratch> {
  return database.url === null ? openEmbedded(database.dataDir) : openPostgres(database.url);
}
