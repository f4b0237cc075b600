/**
 * Pathlight edge worker: the fetch handler (the Hono app of edge/app.ts),
 * the queue handler (edge/queue.ts) and the Durable Object classes.
 */
import { createApp } from "./app";
import type { Env } from "./platform/env";
import { stripPrefix } from "./platform/http/prefix";
import type { QueuedAudienceMessage } from "./profiles/contract";
import { setMembershipHandoff } from "./profiles/settle/handoff";
import { consumeAudienceChanges } from "./queue";
import { deliverToSubscriptions } from "./webhooks/sink";

// Durable Object classes. The exported names are the deployed class names
// of wrangler.toml: they identify stored objects (in production and in the
// local state of `npm start`), so three classes keep their first names
// here while the code calls every class `<Thing>Object`.
export { AccountObject } from "./accounts/account-object";
export { AudienceIndexObject as AudienceIndex } from "./audiences/audience-index-object";
export { CollectionObject as CollectionStore } from "./collections/collection-object";
export { ContentObject } from "./content/content-object";
export { IdentityObject as IdentityShard } from "./identity/identity-object";
export { ProfileObject } from "./profiles/profile-object";
export { DeliveryObject } from "./webhooks/delivery-object";
export { ExperienceObject } from "./experiences/experience-object";

const app = createApp();

// Profiles hand audience changes to webhook delivery objects directly (the
// queue stays their durable path): healthy webhooks do not wait for a batch.
setMembershipHandoff((env, message) => deliverToSubscriptions(env, [message], []));

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return app.fetch(stripPrefix(request, env.PATH_PREFIX), env, ctx);
  },
  queue(batch: MessageBatch<QueuedAudienceMessage>, env: Env, ctx: ExecutionContext) {
    return consumeAudienceChanges(batch, env, ctx);
  },
} satisfies ExportedHandler<Env, QueuedAudienceMessage>;
