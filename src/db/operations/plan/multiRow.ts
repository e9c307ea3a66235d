import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Schema } from '../../schema.js';

/**
 * The statements whose size grows with a plan (a version, a connector, a pointer per manifest),
 * past kysely's query builder, which makes and walks a node for every value (11,000 a batch of
 * versions: 0.13 s of a full sync of 10,000 manifests' 4 s on the main thread, and its garbage).
 * New rows are copied (`COPY ... FROM STDIN`, see db/copyStatement.ts): PostgreSQL's cost of
 * 10,000 version rows was 0.55-0.84 s copied against 0.91-1.13 s by multi-row INSERTs, which it
 * parses and plans with a placeholder per value. Updates go as SQL text and parameters. The rows
 * are still typed by the schema; the text is built from column names the caller gives (never
 * from data), and the data is escaped as COPY's text format requires.
 */

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

/** A value in COPY's text format: `\N` for NULL, `t`/`f`, and text with its four specials escaped. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new TypeError(`cannot copy a ${typeof value}`);
  return SPECIALS.test(value) ? value.replace(SPECIALS_ALL, (c) => ESCAPES[c] as string) : value;
}

/** Backslash, newline, carriage return and tab: the characters COPY's text format escapes. */
const SPECIALS = /[\\\n\r\t]/;
const SPECIALS_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Copies `rows` into `table` in the caller's transaction, every row giving every one of
 * `columns`; one row refused (a constraint, a bad value) refuses them all.
 */
export async function copyRows<T extends keyof Schema & string>(
  trx: Kysely<Schema>,
  table: T,
  columns: readonly (keyof Insertable<Schema[T]> & string)[],
  rows: readonly Insertable<Schema[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  let data = '';
  for (const row of rows) {
    let line = '';
    for (const [index, column] of columns.entries()) {
      line += `${index === 0 ? '' : '\t'}${copyText(row[column])}`;
    }
    data += `${line}\n`;
  }
  const names = columns.map((column) => `"${column}"`).join(', ');
  await trx.executeQuery(CompiledQuery.raw(`COPY "${table}" (${names}) FROM STDIN`, [data]));
}
