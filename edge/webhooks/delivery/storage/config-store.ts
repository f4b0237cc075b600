import { createSchema, schemaExists } from "./schema";

/**
 * The `config` table: the subscription's record and its backfill progress,
 * as JSON by key. Values read are kept in memory (the object is their only
 * writer): every message and every send reads the subscription.
 */
export class ConfigStore {
  /** True once the tables were seen (they are never dropped but by {@link forget}'s caller). */
  private known = false;
  /** Values read or written, parsed, by key. */
  private readonly values = new Map<string, unknown>();

  constructor(private readonly sql: SqlStorage) {}

  /** True once the subscription was configured (lookups of unknown objects store nothing). */
  exists(): boolean {
    if (!this.known) this.known = schemaExists(this.sql);
    return this.known;
  }

  /** Creates the tables. */
  init(): void {
    createSchema(this.sql);
    this.known = true;
  }

  /** A configuration value (the subscription, the backfill), or null. Callers must not change it. */
  get<T>(key: string): T | null {
    if (this.values.has(key)) return this.values.get(key) as T | null;
    if (!this.exists()) return null;
    const row = this.sql.exec<{ value: string }>("SELECT value FROM config WHERE key = ?", key).toArray()[0];
    const value = row ? (JSON.parse(row.value) as T) : null;
    this.values.set(key, value);
    return value;
  }

  /** Stores a configuration value. */
  set(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO config (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
    this.values.set(key, structuredClone(value));
  }

  /** Forgets what it read (the object's storage was deleted). */
  forget(): void {
    this.known = false;
    this.values.clear();
  }
}
