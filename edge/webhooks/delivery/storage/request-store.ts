import { requestId, type RequestRow, type RequestState } from "./rows";

/**
 * Requests (one HTTP delivery of one message or of a batch) and their
 * attempts: forming them from queued messages, claiming, settling, replaying.
 */
export class RequestStore {
  constructor(private readonly sql: SqlStorage) {}

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
}
