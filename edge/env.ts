import type { AccountObject } from "./objects/account";
import type { AudienceIndex } from "./objects/audience-index";
import type { DeliveryObject } from "./objects/delivery";
import type { SegmentQueueMessage } from "./delivery/messages";
import type { CollectionStore } from "./objects/collection-store";
import type { IdentityShard } from "./objects/identity";
import type { ProfileObject } from "./objects/profile";

/** Bindings of the worker (see wrangler.toml). */
export interface Env {
  PROFILE: DurableObjectNamespace<ProfileObject>;
  IDENTITY: DurableObjectNamespace<IdentityShard>;
  ACCOUNT: DurableObjectNamespace<AccountObject>;
  COLLECTIONS: DurableObjectNamespace<CollectionStore>;
  AUDIENCES: DurableObjectNamespace<AudienceIndex>;
  DELIVERY: DurableObjectNamespace<DeliveryObject>;
  UPLOADS: R2Bucket;
  SEGMENT_EVENTS: Queue<SegmentQueueMessage>;
  ASSETS: Fetcher;
  /** Bootstrap admin token: `.dev.vars` locally, `wrangler secret put ADMIN_TOKEN` in production. */
  ADMIN_TOKEN?: string;
  /** First-party mode: the path prefix the worker is routed under on the site's domain (e.g. `/px`). */
  PATH_PREFIX?: string;
  /** The worker's public origin (e.g. `https://px.example.com`): the collect URL the served tag carries. */
  PUBLIC_ORIGIN?: string;
  /** `development` relaxes production-only checks. */
  PATHLIGHT_ENV?: string;
  /** Development only: multiplies webhook retry delays (e.g. `0.001`) so tests and benchmarks run the whole schedule quickly. */
  WEBHOOK_RETRY_SCALE?: string;
}

/** Hono environment: bindings plus per-request variables set by middleware. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    account: import("./lib/account-config").AccountConfig;
    auth: import("./lib/auth").AuthContext;
  };
}
