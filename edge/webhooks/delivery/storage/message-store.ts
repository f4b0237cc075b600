import type { DeliveryItem } from "../message";

/**
 * Messages (the `items` table) and what decides whether one is taken:
 * (profile, seq) pairs already seen (queue redeliveries) and erased people.
 */
export class MessageStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Records (profile, seq); false when it was seen already (a queue redelivery). */
  markSeen(profile: string, seq: number, now: number): boolean {
    return (
      this.sql.exec("INSERT OR IGNORE INTO seen (profile, seq, received) VALUES (?, ?, ?)", profile, seq, now)
        .rowsWritten > 0
    );
  }

  /** Whether a live change of `profile` arrived at or after `since`. */
  seenSince(profile: string, since: number): boolean {
    return (
      this.sql.exec("SELECT 1 FROM seen WHERE profile = ? AND received >= ? LIMIT 1", profile, since).toArray().length >
      0
    );
  }

  /** Whether the person was erased (their messages are refused). */
  isErased(profile: string): boolean {
    return this.sql.exec("SELECT 1 FROM erased WHERE profile = ?", profile).toArray().length > 0;
  }

  /** Queues a message (not yet in a request). */
  addItem(item: DeliveryItem, now: number): void {
    this.sql.exec(
      "INSERT INTO items (profile, request, created, body) VALUES (?, NULL, ?, ?)",
      item.profile_id,
      now,
      JSON.stringify(item),
    );
  }

  /** Creation time of the oldest message not yet in a request, or null. */
  oldestUnassigned(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(created) AS t FROM items WHERE request IS NULL").one().t;
  }

  /** The messages of a request, in order. */
  itemsOf(request: string): DeliveryItem[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM items WHERE request = ? ORDER BY id", request)
      .toArray()
      .map((r) => JSON.parse(r.body) as DeliveryItem);
  }

  /**
   * The messages of a request about to be sent, in order, read once.
   * Backfill messages whose person had a live change received at or after
   * the backfill read them are deleted and left out (the queue consumer
   * indexes members before the sink sees the change, so a backfill can read
   * a person just before their live change arrives).
   */
  itemsToSend(request: string): DeliveryItem[] {
    const out: DeliveryItem[] = [];
    const rows = this.sql
      .exec<{ id: number; profile: string; body: string }>(
        "SELECT id, profile, body FROM items WHERE request = ? ORDER BY id",
        request,
      )
      .toArray();
    for (const r of rows) {
      const item = JSON.parse(r.body) as DeliveryItem;
      if (item.backfill && this.seenSince(r.profile, Date.parse(item.at))) {
        this.sql.exec("DELETE FROM items WHERE id = ?", r.id);
        continue;
      }
      out.push(item);
    }
    return out;
  }
}
