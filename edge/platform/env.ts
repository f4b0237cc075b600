import type { AccountObject } from "../accounts/account-object";
import type { AudienceIndex } from "../audiences/audience-index-object";
import type { DeliveryObject } from "../webhooks/delivery-object";
import type { SegmentQueueMessage } from "../profiles/audience-changes";
import type { CollectionStore } from "../collections/collection-object";
import type { IdentityShard } from "../identity/identity-object";
import type { ProfileObject } from "../profiles/profile-object";

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
  /** `development` relaxes production-only checks. */
  PATHLIGHT_ENV?: string;
  /** Development only: multiplies webhook retry delays (e.g. `0.001`) so tests and benchmarks run the whole schedule quickly. */
  WEBHOOK_RETRY_SCALE?: string;
}

/** Hono environment: bindings plus per-request variables set by middleware. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    account: import("../accounts/config").AccountConfig;
    auth: import("../accounts/auth").AuthContext;
  };
}
