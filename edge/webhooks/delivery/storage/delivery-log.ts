import { KEEP_DEAD_MS, KEEP_DELIVERED_MS, KEEP_SEEN_MS } from "./schema";
import type { MessageStore } from "./message-store";
import type { RequestStore } from "./request-store";
import type { DeliveryCounts, DeliveryView, RequestState } from "./rows";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The delivery log: counts, requests with their messages and attempts, and retention. */
export class DeliveryLog {
  constructor(
    private readonly sql: SqlStorage,
    private readonly messages: MessageStore,
    private readonly requests: RequestStore,
  ) {}

  /** Requests by state. */
  counts(): DeliveryCounts {
    const out: DeliveryCounts = { pending: 0, sending: 0, delivered: 0, dead: 0, queued_messages: 0 };
    for (const r of this.sql.exec<{ state: RequestState; n: number }>(
      "SELECT state, COUNT(*) AS n FROM requests GROUP BY state",
    ))
      out[r.state] = r.n;
    out.queued_messages = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM items WHERE request IS NULL").one().n;
    return out;
  }

  /** Requests newest first (optionally of one state), with their attempts and message summaries. */
  list(state: RequestState | null, limit: number): DeliveryView[] {
    const rows = this.sql
      .exec<{
        id: string;
        state: RequestState;
        attempts: number;
        next_at: number | null;
        created: number;
        updated: number;
        last_status: number | null;
        last_error: string | null;
      }>(
        `SELECT id, state, attempts, next_at, created, updated, last_status, last_error FROM requests ${state ? "WHERE state = ?" : ""} ORDER BY created DESC, id LIMIT ?`,
        ...(state ? [state, limit] : [limit]),
      )
      .toArray();
    return rows.map((r) => ({
      id: r.id,
      state: r.state,
      attempts: r.attempts,
      created: iso(r.created)!,
      updated: iso(r.updated)!,
      next_attempt: r.state === "pending" ? iso(r.next_at) : null,
      last_status: r.last_status,
      last_error: r.last_error,
      messages: this.messages.itemsOf(r.id).map((i) => ({
        event_id: i.event_id,
        profile_id: i.profile_id,
        seq: i.seq,
        backfill: i.backfill,
        segment_events: i.segment_events.map((e) => ({ slug: e.slug, event: e.event })),
      })),
      log: this.sql
        .exec<{ attempt: number; at: number; status: number | null; latency_ms: number; error: string | null }>(
          "SELECT attempt, at, status, latency_ms, error FROM (SELECT * FROM attempts WHERE request = ? ORDER BY id DESC LIMIT 20) ORDER BY id",
          r.id,
        )
        .toArray()
        .map((a) => ({
          attempt: a.attempt,
          at: iso(a.at)!,
          status: a.status,
          latency_ms: a.latency_ms,
          error: a.error,
        })),
    }));
  }

  /** Drops delivered requests, dead letters, seen pairs and erasure marks past their retention. */
  prune(now: number): void {
    const old = (state: string, before: number) =>
      this.sql
        .exec<{ id: string }>("SELECT id FROM requests WHERE state = ? AND updated < ? LIMIT 1000", state, before)
        .toArray()
        .map((r) => r.id);
    for (const id of [...old("delivered", now - KEEP_DELIVERED_MS), ...old("dead", now - KEEP_DEAD_MS)]) {
      this.sql.exec("DELETE FROM items WHERE request = ?", id);
      this.requests.dropRequest(id);
    }
    this.sql.exec("DELETE FROM seen WHERE received < ?", now - KEEP_SEEN_MS);
    this.sql.exec("DELETE FROM erased WHERE at < ?", now - KEEP_DEAD_MS);
  }
}
