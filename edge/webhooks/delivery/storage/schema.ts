/**
 * The tables of a delivery object (one per subscription) and how long
 * their rows are kept. The stored format: existing objects read unchanged.
 */

/** How long delivered requests stay (for the log and time-range replays). */
export const KEEP_DELIVERED_MS = 3 * 86_400_000;
/** How long dead letters stay before they are dropped. */
export const KEEP_DEAD_MS = 30 * 86_400_000;
/** How long (profile, seq) pairs are remembered to drop queue redeliveries. */
export const KEEP_SEEN_MS = 7 * 86_400_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, request TEXT, created INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS items_request ON items (request, id);
CREATE INDEX IF NOT EXISTS items_profile ON items (profile);
CREATE TABLE IF NOT EXISTS requests (id TEXT PRIMARY KEY, state TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER, created INTEGER NOT NULL, updated INTEGER NOT NULL, last_status INTEGER, last_error TEXT);
CREATE INDEX IF NOT EXISTS requests_due ON requests (state, next_at);
CREATE INDEX IF NOT EXISTS requests_created ON requests (created);
CREATE TABLE IF NOT EXISTS attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, request TEXT NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL, status INTEGER, latency_ms INTEGER NOT NULL, error TEXT);
CREATE INDEX IF NOT EXISTS attempts_request ON attempts (request, id);
CREATE TABLE IF NOT EXISTS seen (profile TEXT NOT NULL, seq INTEGER NOT NULL, received INTEGER NOT NULL, PRIMARY KEY (profile, seq));
CREATE TABLE IF NOT EXISTS erased (profile TEXT PRIMARY KEY, at INTEGER NOT NULL);
`;

/** True once the subscription was configured (lookups of unknown objects store nothing). */
export function schemaExists(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config'").toArray().length > 0;
}

/** Creates the tables. */
export function createSchema(sql: SqlStorage): void {
  sql.exec(SCHEMA);
}
