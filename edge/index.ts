/**
 * Pathlight edge worker: the Hono app plus the Durable Object classes that
 * hold accounts, identity links and profiles.
 */
import { createApp } from "./app";
import type { Env } from "./env";
import { stripPrefix } from "./lib/prefix";
import { consumeSegmentEvents } from "./delivery/consumer";
import "./delivery/sink";
import type { SegmentQueueMessage } from "./delivery/messages";

export { AccountObject } from "./objects/account";
export { AudienceIndex } from "./objects/audience-index";
export { DeliveryObject } from "./objects/delivery";
export { CollectionStore } from "./objects/collection-store";
export { IdentityShard } from "./objects/identity";
export { ProfileObject } from "./objects/profile";

const app = createApp();

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return app.fetch(stripPrefix(request, env.PATH_PREFIX), env, ctx);
  },
  queue(batch: MessageBatch<SegmentQueueMessage>, env: Env) {
    return consumeSegmentEvents(batch, env);
  },
} satisfies ExportedHandler<Env, SegmentQueueMessage>;
