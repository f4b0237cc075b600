import type { Env } from "../../platform/env";
import type { AudienceQueueMessage, QueuedAudienceMessage } from "../contract";
import { OUTBOX_PAGE } from "../storage/outbox-store";
import type { ProfileStores } from "../storage/profile-stores";
import { queueBatches } from "./queue-batches";
import { queueBody } from "./queue-reference";
import { resendWait } from "./resend-backoff";

/**
 * How long a message the queue accepted waits for the consumer's
 * confirmation before it is sent again (the queue lost it, e.g. a local
 * queue's memory when the process died). Redeliveries are dropped downstream.
 * Each further resend without a confirmation waits twice as long (see
 * resend-backoff.ts).
 */
const OUTBOX_CONFIRM_MS = 120_000;

/** Meta key: resends made since the consumer last confirmed anything (the backoff's exponent). */
const RESENDS_KEY = "outbox_resends";

/** How long a sent message first waits for its confirmation (shortened only in development, for tests). */
export function confirmMs(env: Env): number {
  const configured = Number(env.SEGMENT_EVENTS_CONFIRM_MS);
  return env.PATHLIGHT_ENV === "development" && configured > 0 ? configured : OUTBOX_CONFIRM_MS;
}

/** How long the oldest sent message now waits for its confirmation before it is sent again. */
export function resendAfterMs(s: ProfileStores, env: Env): number {
  return resendWait(confirmMs(env), s.meta.num(RESENDS_KEY));
}

/** The consumer confirmed messages: it is alive, the next resend waits the first wait again. */
export function confirmed(s: ProfileStores, seqs: number[]): void {
  s.outbox.remove(seqs);
  if (s.meta.get(RESENDS_KEY) !== null) s.meta.delete(RESENDS_KEY);
}

/** Stores a message in the outbox with the next sequence number. */
export function enqueue(s: ProfileStores, message: AudienceQueueMessage): void {
  const seq = s.meta.num("seq") + 1;
  s.meta.set("seq", seq);
  if (message.type === "membership") message.seq = seq;
  // Named by the object's own id: an erased profile no longer has an `id` in its meta.
  const profile = message.type === "membership" ? message.profile : message.profiles[0]!;
  message.outbox = { profile, seq };
  s.outbox.insert(seq, message);
}

/**
 * Sends the outbox messages not sent yet, and those sent but not
 * confirmed in time, in order. A message stays in the outbox until the
 * consumer confirms it (`ProfileObject.confirm`): a queue that accepted it and then
 * lost it (a local queue's memory) costs a resend, not the message.
 */
export async function flushOutbox(s: ProfileStores, env: Env): Promise<void> {
  const now = Date.now();
  const oldest = s.outbox.oldestSent();
  const wait = resendAfterMs(s, env);
  const resendDue = oldest !== null && oldest <= now - wait;
  if (s.outbox.outboxPending === false && !resendDue) return;
  const rows = s.outbox.due(now - wait);
  if (!rows.length) {
    s.outbox.outboxPending = false;
    return;
  }
  try {
    // In batches within the queue's limits: one page of large messages (a person in many audiences, many fields)
    // can exceed a batch's 256 KB, and the queue would refuse the whole page on every retry.
    // A message over the queue's per-message limit goes as a reference to its row (see queue-reference.ts).
    const sendable = rows.map((r) => ({ seq: r.seq, body: queueBody(r.body) }));
    for (const batch of queueBatches(sendable)) {
      await env.SEGMENT_EVENTS.sendBatch(
        batch.map((r) => ({ body: JSON.parse(r.body) as QueuedAudienceMessage, contentType: "json" as const })),
      );
      s.outbox.markSent(
        batch.map((r) => r.seq),
        now,
      );
    }
    // Sent again without a confirmation since: the next resend waits twice as long.
    if (rows.some((r) => r.sent !== null)) s.meta.set(RESENDS_KEY, s.meta.num(RESENDS_KEY) + 1);
    // More than a page was waiting: the next flush (or the alarm) sends the rest.
    s.outbox.outboxPending = rows.length === OUTBOX_PAGE ? null : false;
  } catch (err) {
    console.error("segment events not queued; will retry", err);
  }
}
