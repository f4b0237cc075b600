import { MAX_PRIVACY_REQUESTS, type PrivacyRequest } from "../records/privacy-requests";

/** The account's deletion requests in the account object's SQLite, the newest MAX_PRIVACY_REQUESTS kept. */
export class PrivacyRequestTable {
  constructor(private readonly sql: SqlStorage) {}

  /** Stores (or updates) a request, forgetting the oldest beyond the limit. */
  put(record: PrivacyRequest): void {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS privacy_requests (id TEXT PRIMARY KEY, created TEXT NOT NULL, record TEXT NOT NULL)",
    );
    this.sql.exec(
      "INSERT INTO privacy_requests (id, created, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record",
      record.request_id,
      record.created,
      JSON.stringify(record),
    );
    this.sql.exec(
      "DELETE FROM privacy_requests WHERE id NOT IN (SELECT id FROM privacy_requests ORDER BY created DESC LIMIT ?)",
      MAX_PRIVACY_REQUESTS,
    );
  }

  /** A request by id, or null (without creating the table). */
  get(id: string): PrivacyRequest | null {
    if (this.sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'privacy_requests'").toArray().length === 0)
      return null;
    const row = this.sql.exec<{ record: string }>("SELECT record FROM privacy_requests WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.record) as PrivacyRequest) : null;
  }
}
