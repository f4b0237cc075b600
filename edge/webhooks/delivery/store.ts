import type { DeliveryItem } from "./message";

/** How long delivered requests stay (for the log and time-range replays). */
export const KEEP_DELIVERED_MS = 3 * 86_400_000;
/** How long dead letters stay before they are dropped. */
export const KEEP_DEAD_MS = 30 * 86_400_000;
/** How long (profile, seq) pairs are remembered to drop queue redeliveries. */
export const KEEP_SEEN_MS = 7 * 86_400_000;

/** States of a request (one HTTP delivery of one message, or of a batch). */
export type RequestState = "pending" | "sending" | "delivered" | "dead";

/** A request as the delivery object works with it. */
export interface RequestRow {
  id: string;
  state: RequestState;
  attempts: number;
  next_at: number | null;
  created: number;
}

/** One logged attempt. */
export interface AttemptView {
  attempt: number;
  at: string;
  /** HTTP status, or null (network error, timeout). */
  status: number | null;
  latency_ms: number;
  error: string | null;
}

/** A request as `GET /api/subscription/:id/deliveries` shows it. */
export interface DeliveryView {
  /** The `webhook-id` of the request (the same on every attempt). */
  id: string;
  state: RequestState;
  attempts: number;
  created: string;
  updated: string;
  next_attempt: string | null;
  last_status: number | null;
  last_error: string | null;
  /** What the request carries (no profile fields). */
  messages: {
    event_id: string;
    profile_id: string;
    seq: number;
    backfill: boolean;
    segment_events: { slug: string; event: string }[];
  }[];
  /** Attempts, oldest first (the last 20). */
  log: AttemptView[];
}

/** Counts of requests by state, and messages not yet in a request. */
export interface DeliveryCounts {
  pending: number;
  sending: number;
  delivered: number;
  dead: number;
  /** Messages waiting to be put in a request (batch window). */
  queued_messages: number;
}

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

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A new request id (`webhook-id`). */
export function requestId(): string {
  return "msg_" + crypto.randomUUID().replaceAll("-", "");
}

/**
 * A subscription's delivery state in its delivery object's SQLite:
 * messages (items), the requests carrying them, every attempt, and what
 * was seen and erased. Synchronous; knows nothing of HTTP.
 */
export class DeliveryStore {
  constructor(private readonly sql: SqlStorage) {}

  /** True once the subscription was configured (lookups of unknown objects store nothing). */
  exists(): boolean {
    return this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config'").toArray().length > 0;
  }

  /** Creates the tables. */
  init(): void {
    this.sql.exec(SCHEMA);
  }

  /** A configuration value (the subscription, the backfill), or null. */
  getConfig<T>(key: string): T | null {
    if (!this.exists()) return null;
    const row = this.sql.exec<{ value: string }>("SELECT value FROM config WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  /** Stores a configuration value. */
  setConfig(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO config (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

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

  /**
   * Puts queued messages into requests of `size`, oldest first. A partial
   * last group is formed only when `flushPartial` (the batch window has
   * passed). Returns the number of requests formed.
   */
  formRequests(size: number, now: number, flushPartial: boolean): number {
    let formed = 0;
    for (;;) {
      const ids = this.sql
        .exec<{ id: number }>("SELECT id FROM items WHERE request IS NULL ORDER BY id LIMIT ?", size)
        .toArray()
        .map((r) => r.id);
      if (!ids.length || (ids.length < size && !flushPartial)) return formed;
      const id = requestId();
      this.sql.exec(
        "INSERT INTO requests (id, state, attempts, next_at, created, updated) VALUES (?, 'pending', 0, ?, ?, ?)",
        id,
        now,
        now,
        now,
      );
      this.sql.exec(`UPDATE items SET request = ? WHERE id IN (${ids.map(() => "?").join(",")})`, id, ...ids);
      formed++;
    }
  }

  /** The next request due at `now`, marked as sending; null when none. */
  claimDue(now: number): RequestRow | null {
    const row = this.sql
      .exec<{ id: string; state: RequestState; attempts: number; next_at: number | null; created: number }>(
        "SELECT id, state, attempts, next_at, created FROM requests WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, created LIMIT 1",
        now,
      )
      .toArray()[0];
    if (!row) return null;
    this.sql.exec("UPDATE requests SET state = 'sending', updated = ? WHERE id = ?", now, row.id);
    return { ...row, state: "sending" };
  }

  /** Requests marked as sending that nobody is sending (the object restarted): due again now. */
  resetStuck(inflight: ReadonlySet<string>, now: number): void {
    const stuck = this.sql
      .exec<{ id: string }>("SELECT id FROM requests WHERE state = 'sending'")
      .toArray()
      .filter((r) => !inflight.has(r.id));
    for (const r of stuck)
      this.sql.exec("UPDATE requests SET state = 'pending', next_at = ?, updated = ? WHERE id = ?", now, now, r.id);
  }

  /** The messages of a request, in order. */
  itemsOf(request: string): DeliveryItem[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM items WHERE request = ? ORDER BY id", request)
      .toArray()
      .map((r) => JSON.parse(r.body) as DeliveryItem);
  }

  /**
   * Removes the backfill messages of a request whose person had a live
   * change received at or after the backfill read them (the queue consumer
   * indexes members before the sink sees the change, so a backfill can read
   * a person just before their live change arrives). Returns how many.
   */
  dropStaleBackfill(request: string): number {
    let dropped = 0;
    const rows = this.sql.exec<{ id: number; profile: string; body: string }>(
      "SELECT id, profile, body FROM items WHERE request = ? ORDER BY id",
      request,
    );
    for (const r of rows.toArray()) {
      const item = JSON.parse(r.body) as DeliveryItem;
      if (!item.backfill || !this.seenSince(r.profile, Date.parse(item.at))) continue;
      this.sql.exec("DELETE FROM items WHERE id = ?", r.id);
      dropped++;
    }
    return dropped;
  }

  /** Drops a request that carries nothing any more (its people were erased). */
  dropRequest(id: string): void {
    this.sql.exec("DELETE FROM requests WHERE id = ?", id);
    this.sql.exec("DELETE FROM attempts WHERE request = ?", id);
  }

  /** Logs an attempt. */
  logAttempt(
    request: string,
    attempt: number,
    at: number,
    status: number | null,
    latencyMs: number,
    error: string | null,
  ): void {
    this.sql.exec(
      "INSERT INTO attempts (request, attempt, at, status, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?)",
      request,
      attempt,
      at,
      status,
      latencyMs,
      error,
    );
  }

  /** Records where a request stands after an attempt. */
  settle(
    id: string,
    state: RequestState,
    attempts: number,
    nextAt: number | null,
    status: number | null,
    error: string | null,
    now: number,
  ): void {
    this.sql.exec(
      "UPDATE requests SET state = ?, attempts = ?, next_at = ?, last_status = ?, last_error = ?, updated = ? WHERE id = ?",
      state,
      attempts,
      nextAt,
      status,
      error,
      now,
      id,
    );
  }

  /** Earliest time a pending request is due, or null. */
  nextDue(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(next_at) AS t FROM requests WHERE state = 'pending'").one()
      .t;
  }

  /** Moves every request not delivered or being sent to the dead letters (the subscription was disabled). */
  deadLetterAll(reason: string, now: number): void {
    this.formRequests(Number.MAX_SAFE_INTEGER, now, true);
    this.sql.exec(
      "UPDATE requests SET state = 'dead', next_at = NULL, last_error = COALESCE(last_error, ?), updated = ? WHERE state = 'pending'",
      reason,
      now,
    );
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
        if (!left && state !== "sending") this.dropRequest(r);
      }
      this.sql.exec("DELETE FROM seen WHERE profile = ?", p);
      this.sql.exec("INSERT OR REPLACE INTO erased (profile, at) VALUES (?, ?)", p, now);
    }
    return removed;
  }

  /**
   * Makes requests due again: the dead letters, or with a range every
   * delivered or dead request created within it. Returns how many.
   */
  replay(now: number, range: { from: number; to: number } | null): number {
    const where = range ? "state IN ('dead', 'delivered') AND created >= ? AND created <= ?" : "state = 'dead'";
    const args = range ? [range.from, range.to] : [];
    return this.sql
      .exec(
        `UPDATE requests SET state = 'pending', attempts = 0, next_at = ?, updated = ? WHERE ${where} RETURNING id`,
        now,
        now,
        ...args,
      )
      .toArray().length;
  }

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
      messages: this.itemsOf(r.id).map((i) => ({
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
      this.dropRequest(id);
    }
    this.sql.exec("DELETE FROM seen WHERE received < ?", now - KEEP_SEEN_MS);
    this.sql.exec("DELETE FROM erased WHERE at < ?", now - KEEP_DEAD_MS);
  }
}
