/**
 * The tables of a profile object's SQLite, created when first written.
 *
 * Every table and index costs at least one 4 KiB page even when empty, and
 * most profiles never use most tables (hand assignments, merges,
 * experiences), so a profile's file holds only what it has needed so far.
 * New tables are `WITHOUT ROWID` where they have a text key (the key is the
 * row: one b-tree instead of a table plus its key index) and the event log
 * has no AUTOINCREMENT sequence table.
 *
 * Profiles written by older code have every table, in the older layout
 * (rowid tables, AUTOINCREMENT); the same statements read and write both.
 */

/** Each table's definition, by name. */
const TABLES = {
  meta: "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
  obs: "CREATE TABLE IF NOT EXISTS obs (name TEXT NOT NULL, value TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL, fseq INTEGER NOT NULL DEFAULT 0, lseq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, value)) WITHOUT ROWID",
  seen: "CREATE TABLE IF NOT EXISTS seen (eid TEXT PRIMARY KEY, ts INTEGER NOT NULL) WITHOUT ROWID",
  ids: "CREATE TABLE IF NOT EXISTS ids (field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value)) WITHOUT ROWID",
  absorbed: "CREATE TABLE IF NOT EXISTS absorbed (id TEXT PRIMARY KEY) WITHOUT ROWID",
  outbox: "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, sent INTEGER)",
  membership:
    "CREATE TABLE IF NOT EXISTS membership (slug TEXT PRIMARY KEY, member INTEGER NOT NULL, enter INTEGER, exit INTEGER) WITHOUT ROWID",
  manual: "CREATE TABLE IF NOT EXISTS manual (slug TEXT PRIMARY KEY, assigned INTEGER NOT NULL) WITHOUT ROWID",
  recent: "CREATE TABLE IF NOT EXISTS recent (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL)",
  xp_state: "CREATE TABLE IF NOT EXISTS xp_state (k INTEGER PRIMARY KEY CHECK (k = 0), body TEXT NOT NULL)",
  xp_outbox:
    "CREATE TABLE IF NOT EXISTS xp_outbox (id TEXT PRIMARY KEY, shard TEXT NOT NULL, body TEXT NOT NULL) WITHOUT ROWID",
} as const;

/** A profile table's name. */
export type ProfileTable = keyof typeof TABLES;

/** Which tables a profile object's storage holds; creates a table on its first write. */
export class ProfileTables {
  private existing: Set<string>;

  constructor(private readonly sql: SqlStorage) {
    this.existing = this.list();
    this.upgrade();
  }

  private list(): Set<string> {
    return new Set(
      this.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .toArray()
        .map((r) => r.name),
    );
  }

  /** Tables stored by older code gain the columns added since. */
  private upgrade(): void {
    const columns = (table: string) =>
      this.sql
        .exec<{ name: string }>(`PRAGMA table_info(${table})`)
        .toArray()
        .map((c) => c.name);
    // Observations before arrival sequences were kept (0: before every new event).
    if (this.existing.has("obs") && !columns("obs").includes("lseq"))
      this.sql.exec(
        "ALTER TABLE obs ADD COLUMN fseq INTEGER NOT NULL DEFAULT 0; ALTER TABLE obs ADD COLUMN lseq INTEGER NOT NULL DEFAULT 0",
      );
    // Outboxes before confirmations gain the send time (null: not sent yet).
    if (this.existing.has("outbox") && !columns("outbox").includes("sent"))
      this.sql.exec("ALTER TABLE outbox ADD COLUMN sent INTEGER");
  }

  /** Whether the table exists (a read of a missing table finds nothing). */
  has(table: ProfileTable): boolean {
    return this.existing.has(table);
  }

  /** Creates the table if this profile has never written it (call before writing). */
  ensure(table: ProfileTable): void {
    if (this.existing.has(table)) return;
    this.sql.exec(TABLES[table]);
    this.existing.add(table);
  }

  /** Forgets every table (the storage was wiped, e.g. erase). */
  reset(): void {
    this.existing = this.list();
  }
}
