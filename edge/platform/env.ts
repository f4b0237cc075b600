/**
 * Bindings of the worker (see wrangler.toml).
 *
 * Durable Object namespaces are typed without their classes: a domain asks
 * for a stub through `stubOf<Contract>()` (platform/stub.ts), typed by the RPC
 * interface in its `contract.ts`. So nothing below `edge/index.ts` imports a
 * Durable Object class, and `platform/` imports no domain.
 */
export interface Env {
  /** One object per profile (profiles/profile-object.ts). */
  PROFILE: DurableObjectNamespace;
  /** Shards of the identity directory (identity/identity-object.ts). */
  IDENTITY: DurableObjectNamespace;
  /** One object per account: its configuration (accounts/account-object.ts). */
  ACCOUNT: DurableObjectNamespace;
  /** Per-collection stores (collections/collection-object.ts). */
  COLLECTIONS: DurableObjectNamespace;
  /** One object per account: its content documents; `<cid>/budget`: its recommendation budget (content/content-object.ts). */
  CONTENT: DurableObjectNamespace;
  /** Shards of each account's audience index (audiences/audience-index-object.ts). */
  AUDIENCES: DurableObjectNamespace;
  /** One object per webhook subscription (webhooks/delivery-object.ts). */
  DELIVERY: DurableObjectNamespace;
  /** Each account's experiences store and the experience report shards (experiences/experience-object.ts). */
  EXPERIENCES: DurableObjectNamespace;
  UPLOADS: R2Bucket;
  /**
   * Audience changes leave profile objects through this queue (the queue
   * keeps its deployed name, `pathlight-segment-events`). Its messages are
   * typed by profiles/contract.ts; edge/queue.ts consumes them.
   */
  SEGMENT_EVENTS: Queue;
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
  /** Development only: how long (ms) a profile waits for the queue consumer to confirm a message before resending it the first time (default 120,000; each further resend waits twice as long, up to 30×). */
  SEGMENT_EVENTS_CONFIRM_MS?: string;
}
