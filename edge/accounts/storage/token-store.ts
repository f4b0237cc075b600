import type { TokenRecord } from "../contract";

/**
 * The account's API tokens in the account object's SQLite: one row per
 * token, keyed by id and by the SHA-256 hash of its secret (the secret
 * itself is never stored).
 */
export class TokenTable {
  constructor(private readonly sql: SqlStorage) {}

  private table(): void {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, record TEXT NOT NULL)",
    );
  }

  /** Stores a token by the hash of its secret. */
  add(hash: string, record: TokenRecord): void {
    this.table();
    this.sql.exec("INSERT INTO tokens (id, hash, record) VALUES (?, ?, ?)", record.id, hash, JSON.stringify(record));
  }

  /** Every token (records only), by id. */
  list(): TokenRecord[] {
    this.table();
    return this.sql
      .exec<{ record: string }>("SELECT record FROM tokens ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(r.record) as TokenRecord);
  }

  /** Deletes a token; false when there was none with that id. */
  delete(id: string): boolean {
    this.table();
    return this.sql.exec("DELETE FROM tokens WHERE id = ?", id).rowsWritten > 0;
  }

  /** The record of the token with this hash, unless unknown or expired at `now` (epoch ms). */
  verify(hash: string, now: number): TokenRecord | null {
    this.table();
    const row = this.sql.exec<{ record: string }>("SELECT record FROM tokens WHERE hash = ?", hash).toArray()[0];
    if (!row) return null;
    const record = JSON.parse(row.record) as TokenRecord;
    if (record.expires && Date.parse(record.expires) <= now) return null;
    return record;
  }
}
