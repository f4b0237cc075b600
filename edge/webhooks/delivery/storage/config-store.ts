import { createSchema, schemaExists } from "./schema";

/** The `config` table: the subscription's record and its backfill progress, as JSON by key. */
export class ConfigStore {
  constructor(private readonly sql: SqlStorage) {}

  /** True once the subscription was configured (lookups of unknown objects store nothing). */
  exists(): boolean {
    return schemaExists(this.sql);
  }

  /** Creates the tables. */
  init(): void {
    createSchema(this.sql);
  }

  /** A configuration value (the subscription, the backfill), or null. */
  get<T>(key: string): T | null {
    if (!schemaExists(this.sql)) return null;
    const row = this.sql.exec<{ value: string }>("SELECT value FROM config WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  /** Stores a configuration value. */
  set(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO config (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }
}
