import { CompiledQuery, type Insertable, type Kysely, sql } from 'kysely';
import type { Schema } from '../../schema.js';

/**
 * The statements whose size grows with a plan (a version, a connector, a pointer per manifest),
 * past kysely's query builder, which makes and walks a node for every value (11,000 a batch of
 * versions: 0.13 s of a full sync of 10,000 manifests' 4 s on the main thread, and its garbage).
 * New rows are copied (`COPY ... FROM STDIN`, see db/copyStatement.ts) where the tables allow it:
 * PostgreSQL's cost of 10,000 version rows was 0.55-0.84 s copied against 0.91-1.13 s by
 * multi-row INSERTs, which it parses and plans with a placeholder per value. Elsewhere, and for
 * updates, SQL text and parameters. The rows are still typed by the schema; the text is built
 * from column names the caller gives (never from data).
 */

/** How new rows are written: copied, or inserted where a table refuses COPY (see `copyAllowed`). */
export type RowWriter = <T extends keyof Schema & string>(
  trx: Kysely<Schema>,
  table: T,
  columns: readonly (keyof Insertable<Schema[T]> & string)[],
  rows: readonly Insertable<Schema[T]>[],
) => Promise<void>;

/**
 * `($1, $2), ($3, $4), …`: the placeholders of `rows` rows, each `casts.length` values wide, each
 * value cast as `casts` says (`''` for none: an INSERT's columns type their values).
 */
export function valuesList(rows: number, casts: readonly string[]): string {
  const width = casts.length;
  const tuples = new Array<string>(rows);
  for (let row = 0; row < rows; row++) {
    let tuple = '(';
    for (let column = 0; column < width; column++) {
      tuple += `${column === 0 ? '' : ', '}$${row * width + column + 1}${casts[column]}`;
    }
    tuples[row] = `${tuple})`;
  }
  return tuples.join(', ');
}

/** A row's value for `column`: every row gives every column (kysely's DEFAULT has no COPY form). */
function columnValue(row: object, column: string): unknown {
  const value = (row as Record<string, unknown>)[column];
  if (value === undefined) throw new TypeError(`a row gives no \`${column}\``);
  return value;
}

/** One multi-row INSERT of `rows` into `table`, every row giving every one of `columns`. */
export const insertRows: RowWriter = async (trx, table, columns, rows) => {
  if (rows.length === 0) return;
  const parameters: unknown[] = [];
  for (const row of rows) {
    for (const column of columns) parameters.push(columnValue(row, column));
  }
  const names = columns.map((column) => `"${column}"`).join(', ');
  const values = valuesList(
    rows.length,
    columns.map(() => ''),
  );
  await trx.executeQuery(
    CompiledQuery.raw(`INSERT INTO "${table}" (${names}) VALUES ${values}`, parameters),
  );
};

/** Backslash, newline, carriage return and tab: the characters COPY's text format escapes. */
const SPECIALS = /[\\\n\r\t]/;
const SPECIALS_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value in COPY's text format: `\N` for NULL, `t`/`f`, and text with its specials escaped. */
export function copyText(value: unknown): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value !== 'string') throw new TypeError(`cannot copy a ${typeof value}`);
  return SPECIALS.test(value) ? value.replace(SPECIALS_ALL, (c) => ESCAPES[c] as string) : value;
}

/**
 * COPY's data is sent in pieces of about this many characters (one CopyData message each): a
 * batch of 1,000 manifests of up to 1 MiB each would not fit in one JavaScript string.
 */
const CHUNK_CHARS = 1 << 20;

/**
 * Copies `rows` into `table` in the caller's transaction, every row giving every one of
 * `columns`; one row refused (a constraint, a bad value) refuses them all.
 */
export const copyRows: RowWriter = async (trx, table, columns, rows) => {
  if (rows.length === 0) return;
  const chunks: string[] = [];
  let data = '';
  for (const row of rows) {
    let line = '';
    for (const [index, column] of columns.entries()) {
      line += `${index === 0 ? '' : '\t'}${copyText(columnValue(row, column))}`;
    }
    data += `${line}\n`;
    if (data.length >= CHUNK_CHARS) {
      chunks.push(data);
      data = '';
    }
  }
  if (data.length > 0) chunks.push(data);
  const names = columns.map((column) => `"${column}"`).join(', ');
  await trx.executeQuery(CompiledQuery.raw(`COPY "${table}" (${names}) FROM STDIN`, [chunks]));
};

/**
 * Whether `connector` and `connectorversion` take COPY as they take INSERT: plain (or
 * partitioned) tables without row-level security and without INSERT rules. The platform owns
 * them: COPY refuses a table whose row-level security applies to the writer, and ignores rules,
 * so on such a table the rows are inserted instead. Asked in each transaction that writes (one
 * catalog query), so a rule or a policy added while the daemon runs is obeyed from its next write.
 */
export async function copyAllowed(db: Kysely<Schema>): Promise<boolean> {
  const { rows } = await sql<{ copyable: boolean }>`SELECT count(*) = 2 AS copyable FROM pg_class c
    WHERE c.oid IN ('connector'::regclass, 'connectorversion'::regclass)
      AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
      AND NOT EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.ev_type = '3')`.execute(
    db,
  );
  return rows[0]?.copyable === true;
}
