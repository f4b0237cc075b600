/**
 * The account directory's table: which accounts exist. Only the object
 * named ACCOUNT_DIRECTORY (accounts/settings/directory.ts) holds it.
 */
export class DirectoryTable {
  constructor(private readonly sql: SqlStorage) {}

  /** Records that the account `cid` exists. */
  enlist(cid: string): void {
    this.sql.exec("CREATE TABLE IF NOT EXISTS directory (cid TEXT PRIMARY KEY)");
    this.sql.exec("INSERT OR IGNORE INTO directory (cid) VALUES (?)", cid);
  }

  /** True when the account `cid` is listed (stores nothing). */
  listed(cid: string): boolean {
    const table = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'directory'").toArray();
    return table.length > 0 && this.sql.exec("SELECT 1 FROM directory WHERE cid = ?", cid).toArray().length > 0;
  }
}
