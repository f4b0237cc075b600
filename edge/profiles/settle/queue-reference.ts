import type { Env } from "../../platform/env";
import type { AudienceQueueMessage, MembershipReference, QueuedAudienceMessage } from "../contract";
import { profileStub } from "../profile-stub";
import { bodyBytes, PER_MESSAGE_OVERHEAD, QUEUE_BATCH_LIMITS } from "./queue-batches";

/**
 * What the queue gets for an outbox row (`body`, the stored message as
 * JSON): the message itself when it fits the queue's per-message limit,
 * else a {@link MembershipReference} to it. The queue refuses a message
 * over 128 KB on every retry, and a membership message carries the
 * person's fields, audiences and changes, which have no such bound (a
 * person in thousands of audiences, or with large fields): sent whole,
 * it would block that person's later changes for good.
 */
export function queueBody(body: string): string {
  if (bodyBytes(body) + PER_MESSAGE_OVERHEAD <= QUEUE_BATCH_LIMITS.messageBytes) return body;
  const message = JSON.parse(body) as AudienceQueueMessage;
  // Only membership messages grow with the profile; a forget message names one id.
  if (message.type !== "membership" || !message.outbox) return body;
  const reference: MembershipReference = {
    type: "membership",
    cid: message.cid,
    profile: message.profile,
    seq: message.seq,
    outbox: message.outbox,
    at: message.at,
    stored: true,
  };
  return JSON.stringify(reference);
}

/** Whether a queued message is a reference to a message kept in its profile's outbox. */
export function isReference(message: QueuedAudienceMessage): message is MembershipReference {
  return message.type === "membership" && (message as Partial<MembershipReference>).stored === true;
}

/**
 * The queue consumer's side: each message of a batch as the profile sent
 * it, references replaced by the stored message they name (read from the
 * sending profile's outbox), in the batch's order. A reference whose
 * message is no longer in the outbox was already handled (the consumer
 * confirmed it: this is a redelivery) or its person was erased: it is left
 * out. A failed read throws, so the batch is retried.
 */
export async function readQueued(env: Env, messages: QueuedAudienceMessage[]): Promise<AudienceQueueMessage[]> {
  const read = await Promise.all(
    messages.map((m) =>
      isReference(m) ? profileStub(env, m.cid, m.outbox.profile).outboxMessage(m.outbox.seq) : Promise.resolve(m),
    ),
  );
  return read.filter((m): m is AudienceQueueMessage => m !== null);
}
