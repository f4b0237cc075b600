import { accountStub } from "../accounts/settings/config";
import type { SubscriptionRecord, SubscriptionRoute } from "../accounts/records/subscription-catalog";
import { IsolateCache } from "../platform/isolate-cache";
import type { Env } from "../platform/env";
import { stubOf } from "../platform/stub";
import type { DeliveryRpc } from "./contract";

/**
 * How long an isolate routes audience changes with the subscriptions it
 * last read. A subscription created or deleted through another isolate
 * takes effect for live changes within this time; backfills start after
 * it, so they miss nothing.
 */
export const SUBSCRIPTION_CACHE_MS = 1_000;

/** Routes an isolate last read, by account, with the version they were read at. */
const cache = new IsolateCache<{ version: string; routes: SubscriptionRoute[] }>(SUBSCRIPTION_CACHE_MS);

/**
 * An account's subscription routes through the isolate cache: after
 * SUBSCRIPTION_CACHE_MS the account object is asked whether its version
 * moved (a small answer when it did not).
 */
export function subscriptionRoutesOf(env: Env, cid: string): Promise<SubscriptionRoute[]> {
  const fresh = cache.get(cid);
  if (fresh) return Promise.resolve(fresh.routes);
  // Expired: one question to the account object at a time. Changes routed while it is asked wait for its answer
  // (which is no older than the question), instead of each asking again: at a hundred changes a second, many
  // profiles and the queue consumer find the entry expired at once.
  let asking = refreshing.get(cid);
  if (!asking) {
    const question = askRoutes(env, cid).finally(() => {
      if (refreshing.get(cid) === question) refreshing.delete(cid);
    });
    refreshing.set(cid, (asking = question));
  }
  return asking;
}

/** Refreshes in flight, by account. */
const refreshing = new Map<string, Promise<SubscriptionRoute[]>>();

/** Asks the account object whether the routes' version moved since the cached one (a small answer when not). */
async function askRoutes(env: Env, cid: string): Promise<SubscriptionRoute[]> {
  const hit = cache.peek(cid);
  const answer = await accountStub(env, cid).subscriptionIndex(hit?.version ?? null);
  const routes = answer.unchanged && hit ? hit.routes : answer.unchanged ? [] : answer.routes;
  cache.set(cid, { version: answer.version, routes });
  return routes;
}

/** Drops an account's cached routes (after a change made through this isolate); a question already asked is not joined. */
export function forgetSubscriptionRoutes(cid: string): void {
  cache.delete(cid);
  refreshing.delete(cid);
}

/** The delivery object of subscription `id` of account `cid`. */
export function deliveryStub(env: Env, cid: string, id: string): DeliveryRpc {
  return stubOf<DeliveryRpc>(env.DELIVERY, `${cid}/${id}`);
}

/** A subscription as the API shows it: no secrets (`secret` only when new or rotated). */
export function publicSubscription(
  record: SubscriptionRecord,
  options: { secret?: string; redactHeaders?: boolean } = {},
) {
  const { secrets: _secrets, config, ...rest } = record;
  const headers = options.redactHeaders
    ? Object.fromEntries(Object.keys(config.headers).map((k) => [k, "[redacted]"]))
    : config.headers;
  const shown = { ...config, headers };
  return {
    ...rest,
    name: config.name,
    description: config.description,
    segment_ids: config.segment_ids,
    ...(config.segmentql !== undefined ? { segmentql: config.segmentql } : {}),
    config: shown,
    ...(options.secret ? { secret: options.secret } : {}),
  };
}
