/** How long event ids are remembered for deduplication. */
export const DEDUP_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** The profile's `seen` table: recently accepted event ids (`_eid`), for deduplication. */
export class SeenEventTable {
  constructor(private readonly sql: SqlStorage) {}

  /**
   * Records an event id; false when it was seen before. One statement both
   * checks and records the event id: a duplicate writes no row.
   */
  record(eid: string, now: number): boolean {
    return this.sql.exec("INSERT OR IGNORE INTO seen (eid, ts) VALUES (?, ?)", eid, now).rowsWritten !== 0;
  }

  /** Forgets ids older than the deduplication window. */
  prune(now: number): void {
    this.sql.exec("DELETE FROM seen WHERE ts < ?", now - DEDUP_WINDOW_MS);
  }

  /** The stored rows, as a snapshot carries them. */
  rows(): { eid: string; ts: number }[] {
    return this.sql
      .exec<{ eid: string; ts: number }>("SELECT eid, ts FROM seen")
      .toArray()
      .map((r) => ({ ...r }));
  }
}
