import type { AudienceQueueMessage } from "../contract";
import type { ProfileTables } from "./schema";

/** Most outbox messages sent in one batch. */
export const OUTBOX_PAGE = 100;

/**
 * The profile's `outbox` table: audience messages by sequence number, with
 * the time each was sent (null: not sent yet). A message stays until the
 * queue consumer confirms it.
 */
export class OutboxTable {
  /** Whether the outbox may hold messages not sent yet (null: unknown, ask storage). */
  outboxPending: boolean | null = null;
  /** When the oldest sent, unconfirmed outbox message was sent (null: none; undefined: unknown, ask storage). */
  private oldestSentCache: number | null | undefined = undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly tables: ProfileTables,
  ) {}

  /** The send time of the oldest outbox message still waiting for the consumer's confirmation. */
  oldestSent(): number | null {
    if (this.oldestSentCache === undefined)
      this.oldestSentCache = this.tables.has("outbox")
        ? this.sql.exec<{ sent: number | null }>("SELECT MIN(sent) AS sent FROM outbox").one().sent
        : null;
    return this.oldestSentCache;
  }

  /** Stores a message under `seq`, not sent yet. */
  insert(seq: number, message: AudienceQueueMessage): void {
    // A table created now holds nothing sent.
    if (!this.tables.has("outbox")) this.oldestSentCache = null;
    this.tables.ensure("outbox");
    this.sql.exec("INSERT INTO outbox (seq, body) VALUES (?, ?)", seq, JSON.stringify(message));
    this.outboxPending = true;
  }

  /** Up to {@link OUTBOX_PAGE} messages not sent yet, or sent at or before `sentBefore`, in order (with when each was last sent). */
  due(sentBefore: number): { seq: number; body: string; sent: number | null }[] {
    if (!this.tables.has("outbox")) return [];
    return this.sql
      .exec<{ seq: number; body: string; sent: number | null }>(
        "SELECT seq, body, sent FROM outbox WHERE sent IS NULL OR sent <= ? ORDER BY seq LIMIT 100",
        sentBefore,
      )
      .toArray();
  }

  /** Records when messages were handed to the queue. */
  markSent(seqs: number[], now: number): void {
    for (const seq of seqs) this.sql.exec("UPDATE outbox SET sent = ? WHERE seq = ?", now, seq);
    // Nothing was waiting for a confirmation: these are the oldest now. Otherwise a resend may have
    // moved the oldest row's time later, so it is read again.
    this.oldestSentCache = this.oldestSentCache === null && seqs.length ? now : undefined;
  }

  /** Deletes the messages the consumer confirmed. */
  remove(seqs: number[]): void {
    if (!this.tables.has("outbox")) return;
    for (const seq of seqs) this.sql.exec("DELETE FROM outbox WHERE seq = ?", seq);
    this.oldestSentCache = undefined;
  }

  /** The stored body (JSON) of message `seq`, or null when it is no longer in the outbox. */
  body(seq: number): string | null {
    if (!this.tables.has("outbox")) return null;
    const rows = this.sql.exec<{ body: string }>("SELECT body FROM outbox WHERE seq = ?", seq).toArray();
    return rows[0]?.body ?? null;
  }

  /** Whether the message `seq` is still in the outbox (not confirmed by the consumer). */
  holds(seq: number): boolean {
    return this.tables.has("outbox") && this.sql.exec("SELECT 1 FROM outbox WHERE seq = ?", seq).toArray().length > 0;
  }

  /** The oldest message still in the outbox before `seq`, or null. */
  oldestBefore(seq: number): number | null {
    if (!this.tables.has("outbox")) return null;
    return this.sql.exec<{ seq: number | null }>("SELECT MIN(seq) AS seq FROM outbox WHERE seq < ?", seq).one().seq;
  }

  /** Whether messages wait to be sent (asks storage once after the cache was dropped). */
  hasUnsent(): boolean {
    if (this.outboxPending === null)
      this.outboxPending =
        this.tables.has("outbox") &&
        this.sql.exec("SELECT 1 FROM outbox WHERE sent IS NULL LIMIT 1").toArray().length > 0;
    return this.outboxPending;
  }

  dropCache(): void {
    this.outboxPending = null;
    this.oldestSentCache = undefined;
  }
}
