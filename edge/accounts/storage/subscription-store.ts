import type { SubscriptionRecord } from "../records/subscription-catalog";

/**
 * An account's subscriptions in the account object's SQLite, with a
 * version that moves on every change (the queue sink caches by it).
 */
export class SubscriptionTable {
  /** The tables were created (the account object never drops them): profiles ask for the version every second. */
  private created = false;

  constructor(private readonly sql: SqlStorage) {}

  private table(): void {
    if (this.created) return;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS subscriptions (id TEXT PRIMARY KEY, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS subscriptions_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);`);
    this.created = true;
  }

  /** Moves whenever a subscription is stored or deleted. */
  version(): number {
    this.table();
    return (
      this.sql.exec<{ value: number }>("SELECT value FROM subscriptions_meta WHERE key = 'version'").toArray()[0]
        ?.value ?? 0
    );
  }

  private bump(): void {
    this.sql.exec(
      "INSERT INTO subscriptions_meta (key, value) VALUES ('version', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1",
    );
  }

  /** Every subscription, oldest first. */
  list(): SubscriptionRecord[] {
    this.table();
    return this.sql
      .exec<{ record: string }>("SELECT record FROM subscriptions")
      .toArray()
      .map((r) => JSON.parse(r.record) as SubscriptionRecord)
      .sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
  }

  /** One subscription, or null. */
  get(id: string): SubscriptionRecord | null {
    this.table();
    const row = this.sql.exec<{ record: string }>("SELECT record FROM subscriptions WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.record) as SubscriptionRecord) : null;
  }

  /** Stores (inserts or replaces) a subscription. */
  put(record: SubscriptionRecord): void {
    this.table();
    this.sql.exec(
      "INSERT INTO subscriptions (id, record) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record",
      record.id,
      JSON.stringify(record),
    );
    this.bump();
  }

  /** Deletes a subscription; false when unknown. */
  delete(id: string): boolean {
    this.table();
    const gone = this.sql.exec("DELETE FROM subscriptions WHERE id = ?", id).rowsWritten > 0;
    if (gone) this.bump();
    return gone;
  }
}
