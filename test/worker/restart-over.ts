import { runInDurableObject } from "cloudflare:test";

/** Drops every table the object's constructor created, so only the rows a test writes remain. */
export function dropAllTables(sql: SqlStorage): void {
  const names = sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    )
    .toArray()
    .map((r) => r.name);
  for (const name of names) sql.exec(`DROP TABLE "${name}"`);
}

/**
 * Replaces the storage of the object behind `stub` with what `write` puts
 * there (old tables and rows, as literal SQL) and restarts it, as a deploy
 * does: its next instance's constructor sees the old tables. Aborting
 * rejects the call that aborts; that is expected. A stub that saw its
 * object abort stays broken, so this returns a new one from `namespace`.
 */
export async function restartOver(
  namespace: DurableObjectNamespace,
  stub: DurableObjectStub,
  write: (sql: SqlStorage) => void,
): Promise<DurableObjectStub> {
  await runInDurableObject(stub, (_instance, state) => {
    dropAllTables(state.storage.sql);
    write(state.storage.sql);
  });
  await runInDurableObject(stub, (_instance, state) => state.abort("restart over the stored rows")).catch(
    () => undefined,
  );
  return namespace.get(stub.id);
}
