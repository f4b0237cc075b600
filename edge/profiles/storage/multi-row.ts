/**
 * Multi-row statements: one `INSERT ... VALUES (...), (...)` for many rows
 * instead of one statement per row (each statement is a round through
 * SQLite's prepare/step/reset and the runtime's binding layer, the larger
 * cost of a small write). A Durable Object's SQLite binds at most
 * {@link MAX_BOUND_PARAMETERS} values per statement, so rows go in chunks.
 */

/** Most values one statement may bind in a Durable Object's SQLite. */
export const MAX_BOUND_PARAMETERS = 100;

/**
 * Runs `head VALUES (?, ...), (?, ...) tail` over `rows` (each row's values
 * in column order), as few statements as the parameter limit allows; calls
 * `each` with every statement's cursor (e.g. to read `RETURNING` rows).
 */
export function execRows<T extends Record<string, SqlStorageValue>>(
  sql: SqlStorage,
  head: string,
  tail: string,
  rows: readonly (readonly SqlStorageValue[])[],
  each?: (cursor: SqlStorageCursor<T>) => void,
): void {
  if (!rows.length) return;
  const width = rows[0]!.length;
  const per = Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / width));
  const group = `(${new Array(width).fill("?").join(", ")})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = new Array(chunk.length).fill(group).join(", ");
    const cursor = sql.exec<T>(`${head} VALUES ${values}${tail ? ` ${tail}` : ""}`, ...chunk.flat());
    if (each) each(cursor);
  }
}
