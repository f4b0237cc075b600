/**
 * Pathlight edge worker: the Hono app plus the Durable Object classes that
 * hold accounts, identity links and profiles.
 */
import { createApp } from "./app";
import type { Env } from "./platform/env";
import { stripPrefix } from "./platform/http/prefix";
import { consumeSegmentEvents } from "./queue";
import "./webhooks/sink";
import type { SegmentQueueMessage } from "./profiles/audience-changes";

export { AccountObject } from "./accounts/account-object";
export { AudienceIndex } from "./audiences/audience-index-object";
export { DeliveryObject } from "./webhooks/delivery-object";
export { CollectionStore } from "./collections/collection-object";
export { IdentityShard } from "./identity/identity-object";
export { ProfileObject } from "./profiles/profile-object";

const app = createApp();

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return app.fetch(stripPrefix(request, env.PATH_PREFIX), env, ctx);
  },
  queue(batch: MessageBatch<SegmentQueueMessage>, env: Env) {
    return consumeSegmentEvents(batch, env);
  },
} satisfies ExportedHandler<Env, SegmentQueueMessage>;
