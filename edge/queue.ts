import type { Env } from "./platform/env";
import { indexAudienceChanges } from "./audiences/index-shards";
import type { ForgetMessage, MembershipMessage, QueuedAudienceMessage } from "./profiles/contract";
import { deliverToSubscriptions } from "./webhooks/sink";
import { profileStub } from "./profiles/profile-stub";
import { readQueued } from "./profiles/settle/queue-reference";

/**
 * Consumes a batch of the audience-changes queue (a message too large for
 * the queue comes as a reference, read from its profile's outbox): first the audience index
 * (exact sizes, member lists), then the webhook sink (one delivery object
 * per subscription). A failure retries the whole batch; both steps are
 * idempotent. Then each sending profile learns its messages were handled,
 * so it stops resending them (profiles resend what is not confirmed: a
 * queue that loses a message loses nothing); with `ctx`, after the handler
 * returned (`waitUntil`).
 */
export async function consumeAudienceChanges(
  batch: MessageBatch<QueuedAudienceMessage>,
  env: Env,
  ctx?: Pick<ExecutionContext, "waitUntil">,
): Promise<void> {
  const queued = batch.messages.map((m) => m.body);
  // A message too large for the queue came as a reference: read it from its profile's outbox.
  const bodies = await readQueued(env, queued);
  const memberships = bodies.filter((b): b is MembershipMessage => b.type === "membership");
  const forgets = bodies.filter((b): b is ForgetMessage => b.type === "forget");
  await indexAudienceChanges(env, memberships, forgets);
  await deliverToSubscriptions(env, memberships, forgets);
  batch.ackAll();
  // The batch is handled once acknowledged: the confirmations (one call per sending profile) finish after the
  // handler returns, so the next batch does not wait behind them. They are best effort either way.
  const confirmations = confirmToProfiles(env, queued);
  if (ctx) ctx.waitUntil(confirmations);
  else await confirmations;
}

/** Tells each sending profile which of its outbox messages were handled (best effort: an unconfirmed message is resent and dropped as a redelivery). */
async function confirmToProfiles(env: Env, bodies: QueuedAudienceMessage[]): Promise<void> {
  const bySender = new Map<string, { cid: string; profile: string; seqs: number[] }>();
  for (const b of bodies) {
    if (!b.outbox) continue;
    const key = `${b.cid}/${b.outbox.profile}`;
    let entry = bySender.get(key);
    if (!entry) bySender.set(key, (entry = { cid: b.cid, profile: b.outbox.profile, seqs: [] }));
    entry.seqs.push(b.outbox.seq);
  }
  await Promise.all(
    [...bySender.values()].map((s) =>
      profileStub(env, s.cid, s.profile)
        .confirm(s.seqs)
        .catch((err: unknown) => console.error("outbox confirmation failed; the profile will resend", err)),
    ),
  );
}
