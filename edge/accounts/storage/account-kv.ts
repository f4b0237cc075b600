/**
 * The account object's key-value table `kv`: the account record
 * (`account`), the identity secret (`identity_secret`), the audience
 * catalog's version (`segments_version`) and each audience job's cursor
 * (`job_cursor:<id>`), each stored as JSON text.
 */
export class AccountKv {
  constructor(private readonly sql: SqlStorage) {}

  /** True once the account was created: lookups of unknown ids store nothing. */
  exists(): boolean {
    return this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kv'").toArray().length > 0;
  }

  /** The value under `key`, or null (without creating the table). */
  read<T>(key: string): T | null {
    if (!this.exists()) return null;
    const row = this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  /** Stores `value` under `key` (insert or replace). */
  write(key: string, value: unknown): void {
    this.sql.exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    this.sql.exec(
      "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }
}
