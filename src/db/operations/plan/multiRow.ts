import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Schema } from '../../schema.js';

/**
 * The statements whose size grows with a plan (a version, a connector, a pointer per manifest),
 * sent as SQL text built here and parameters, past kysely's query builder. The builder makes and
 * walks a node for every value: 11,000 values a batch of versions, 0.13 s of a full sync of 10,000
 * manifests' 4 s on the main thread, and as much again in garbage collection. The rows are still
 * typed by the schema; only their text is assembled here, from column names this file is given by
 * its callers (never from data). Values travel as bind parameters, as kysely sends them.
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

/** One multi-row INSERT of `rows` into `table`, every row giving every one of `columns`. */
export async function insertRows<T extends keyof Schema & string>(
  trx: Kysely<Schema>,
  table: T,
  columns: readonly (keyof Insertable<Schema[T]> & string)[],
  rows: readonly Insertable<Schema[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const parameters: unknown[] = [];
  for (const row of rows) {
    for (const column of columns) parameters.push(row[column] ?? null);
  }
  const names = columns.map((column) => `"${column}"`).join(', ');
  const values = valuesList(
    rows.length,
    columns.map(() => ''),
  );
  await trx.executeQuery(
    CompiledQuery.raw(`INSERT INTO "${table}" (${names}) VALUES ${values}`, parameters),
  );
}
