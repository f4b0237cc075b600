import { execRows } from "./multi-row";
import type { ProfileTables } from "./schema";

/** How long event ids are remembered for deduplication. */
export const DEDUP_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** The profile's `seen` table: recently accepted event ids (`_eid`), for deduplication. */
export class SeenEventTable {
  constructor(
    private readonly sql: SqlStorage,
    private readonly tables: ProfileTables,
  ) {}

  /**
   * Records a batch's event ids in one statement (per 50 ids); returns the
   * ids not seen before. An id twice in the batch is recorded once: only its
   * first event is new, which the caller tells apart by taking each id out of
   * the answer as it accepts its event.
   */
  recordAll(eids: readonly string[], now: number): Set<string> {
    const fresh = new Set<string>();
    if (!eids.length) return fresh;
    this.tables.ensure("seen");
    execRows<{ eid: string }>(
      this.sql,
      "INSERT OR IGNORE INTO seen (eid, ts)",
      "RETURNING eid",
      eids.map((eid) => [eid, now]),
      (cursor) => {
        for (const row of cursor) fresh.add(row.eid);
      },
    );
    return fresh;
  }

  /** Forgets ids older than the deduplication window. */
  prune(now: number): void {
    if (this.tables.has("seen")) this.sql.exec("DELETE FROM seen WHERE ts < ?", now - DEDUP_WINDOW_MS);
  }

  /** The stored rows, as a snapshot carries them. */
  rows(): { eid: string; ts: number }[] {
    if (!this.tables.has("seen")) return [];
    return this.sql
      .exec<{ eid: string; ts: number }>("SELECT eid, ts FROM seen")
      .toArray()
      .map((r) => ({ ...r }));
  }
}
