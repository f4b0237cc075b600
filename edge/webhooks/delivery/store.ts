import { ConfigStore } from "./storage/config-store";
import { DeliveryLog } from "./storage/delivery-log";
import { MessageStore } from "./storage/message-store";
import { RequestStore } from "./storage/request-store";

/**
 * A subscription's delivery state in its delivery object's SQLite: its
 * configuration, messages (items), the requests carrying them, every
 * attempt, and what was seen and erased — one store per concern, under
 * `storage/`. Synchronous; knows nothing of HTTP.
 */
export class DeliveryStore {
  readonly config: ConfigStore;
  readonly messages: MessageStore;
  readonly requests: RequestStore;
  readonly log: DeliveryLog;

  constructor(private readonly sql: SqlStorage) {
    this.config = new ConfigStore(sql);
    this.messages = new MessageStore(sql);
    this.requests = new RequestStore(sql);
    this.log = new DeliveryLog(sql, this.messages, this.requests);
  }

  /**
   * Forgets erased people: every message about them (queued, pending,
   * dead-lettered or delivered), requests left empty, and their seen
   * sequence numbers; remembers them so late messages are refused.
   * Returns the number of messages removed.
   */
  forget(profiles: string[], now: number): number {
    let removed = 0;
    for (const p of profiles) {
      const requests = this.sql
        .exec<{ request: string | null }>("SELECT DISTINCT request FROM items WHERE profile = ?", p)
        .toArray()
        .map((r) => r.request);
      removed += this.sql.exec("DELETE FROM items WHERE profile = ? RETURNING id", p).toArray().length;
      for (const r of requests) {
        if (!r) continue;
        const left = this.sql.exec("SELECT 1 FROM items WHERE request = ? LIMIT 1", r).toArray().length;
        const state = this.sql
          .exec<{ state: string }>("SELECT state FROM requests WHERE id = ?", r)
          .toArray()[0]?.state;
        if (!left && state !== "sending") this.requests.dropRequest(r);
      }
      this.sql.exec("DELETE FROM seen WHERE profile = ?", p);
      this.sql.exec("INSERT OR REPLACE INTO erased (profile, at) VALUES (?, ?)", p, now);
    }
    return removed;
  }
}
