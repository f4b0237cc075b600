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
    const tables = this.read();
    this.existing = new Set(tables.keys());
    this.upgrade(tables);
  }

  /** Each table's name and its definition as stored (`ALTER TABLE … ADD COLUMN` updates it): one read per start. */
  private read(): Map<string, string> {
    return new Map(
      this.sql
        .exec<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        .toArray()
        .map((r) => [r.name, r.sql ?? ""]),
    );
  }

  /** Tables stored by older code gain the columns added since (told from their stored definitions). */
  private upgrade(tables: Map<string, string>): void {
    // A column appears in its table's stored definition as a word of its own (after `(`, `,` or a space).
    const lacks = (table: string, column: string) => {
      const definition = tables.get(table);
      return definition !== undefined && !definition.split(/[\s(),]+/).includes(column);
    };
    // Observations before arrival sequences were kept (0: before every new event).
    if (lacks("obs", "lseq"))
      this.sql.exec(
        "ALTER TABLE obs ADD COLUMN fseq INTEGER NOT NULL DEFAULT 0; ALTER TABLE obs ADD COLUMN lseq INTEGER NOT NULL DEFAULT 0",
      );
    // Outboxes before confirmations gain the send time (null: not sent yet).
    if (lacks("outbox", "sent")) this.sql.exec("ALTER TABLE outbox ADD COLUMN sent INTEGER");
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
    this.existing = new Set(this.read().keys());
  }
}
