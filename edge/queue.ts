import type { Env } from "./platform/env";
import { indexAudienceChanges } from "./audiences/index-shards";
import type { AudienceQueueMessage, ForgetMessage, MembershipMessage } from "./profiles/contract";
import { deliverToSubscriptions } from "./webhooks/sink";

/**
 * Consumes a batch of the audience-changes queue: first the audience index
 * (exact sizes, member lists), then the webhook sink (one delivery object
 * per subscription). A failure retries the whole batch; both steps are
 * idempotent.
 */
export async function consumeAudienceChanges(batch: MessageBatch<AudienceQueueMessage>, env: Env): Promise<void> {
  const bodies = batch.messages.map((m) => m.body);
  const memberships = bodies.filter((b): b is MembershipMessage => b.type === "membership");
  const forgets = bodies.filter((b): b is ForgetMessage => b.type === "forget");
  await indexAudienceChanges(env, memberships, forgets);
  await deliverToSubscriptions(env, memberships, forgets);
  batch.ackAll();
}
