/**
 * How a `COPY ... FROM STDIN` travels through kysely, which only knows statements with
 * parameters: its text ends in `FROM STDIN` and its one parameter is the data, in COPY's text
 * format, as a list of pieces (whole rows each; one string could not hold the largest batches).
 * Each backend's connection recognizes that shape and streams the data as COPY does:
 * `CopyingClient` over pg (pg-copy-streams), `createPglitePool` over PGlite (its `/dev/blob`).
 * No other statement has it: COPY takes no bind parameters, so PostgreSQL itself would refuse one.
 */
export function isCopyFromStdin(
  sql: string,
  parameters: readonly unknown[] | undefined,
): parameters is readonly [readonly string[]] {
  const data = parameters?.[0];
  return (
    parameters?.length === 1 &&
    Array.isArray(data) &&
    data.every((chunk) => typeof chunk === 'string') &&
    sql.startsWith('COPY ') &&
    sql.endsWith(' FROM STDIN')
  );
}

/**
 * What a COPY returns to kysely: an INSERT of the rows copied, kysely knowing no COPY (so
 * `numAffectedRows` is the rows copied), and no rows.
 */
export function copyResult(rowCount: number) {
  return { command: 'INSERT' as const, rowCount, rows: [] as never[] };
}
