/**
 * The profile object's own tables. Names and columns are the stored format:
 * objects written by earlier versions are read as they are (see
 * {@link upgradeProfileTables}).
 */
export const PROFILE_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS obs (name TEXT NOT NULL, value TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL, fseq INTEGER NOT NULL DEFAULT 0, lseq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, value));
CREATE TABLE IF NOT EXISTS seen (eid TEXT PRIMARY KEY, ts INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ids (field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value));
CREATE TABLE IF NOT EXISTS absorbed (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, sent INTEGER);
`;

/** Creates the tables a new (or erased) profile lacks. */
export function createProfileTables(sql: SqlStorage): void {
  sql.exec(PROFILE_SCHEMA);
}

/** Adds the columns later versions introduced to tables stored before them. */
export function upgradeProfileTables(sql: SqlStorage): void {
  // Profiles stored before arrival sequences were kept gain the columns (0: before every new event).
  const columns = sql.exec<{ name: string }>("PRAGMA table_info(obs)").toArray();
  if (!columns.some((c) => c.name === "lseq"))
    sql.exec(
      "ALTER TABLE obs ADD COLUMN fseq INTEGER NOT NULL DEFAULT 0; ALTER TABLE obs ADD COLUMN lseq INTEGER NOT NULL DEFAULT 0",
    );
  // Outboxes stored before confirmations gain the send time (null: not sent yet).
  if (
    !sql
      .exec<{ name: string }>("PRAGMA table_info(outbox)")
      .toArray()
      .some((c) => c.name === "sent")
  )
    sql.exec("ALTER TABLE outbox ADD COLUMN sent INTEGER");
}
