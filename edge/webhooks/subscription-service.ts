/**
 * What the Subscription API does between HTTP and the objects: a create or
 * update (inline audience, limits, target checks, the record), storing a
 * subscription across its delivery object, the account's registry and the
 * isolate caches in that order, deletion, secret rotation and replays.
 * Throws `ApiError`s.
 */
import { hexId } from "../accounts/records/audience-records";
import { accountStub, refreshAccountCache, type AccountConfig } from "../accounts/settings/config";
import { MAX_SUBSCRIPTIONS, type SubscriptionRecord } from "../accounts/records/subscription-catalog";
import { saveSegment } from "../audiences/definitions";
import type { Env } from "../platform/env";
import { conflict, notFound, unprocessable } from "../platform/http/errors";
import { newSecret } from "./delivery/signing";
import { checkTarget, configOf, parseSubscriptionInput, resolveAudiences } from "./subscription-input";
import { deliveryStub, forgetSubscriptionRoutes } from "./subscriptions";

/** A subscription of the account, or 404. */
export async function findSubscription(env: Env, cid: string, id: string): Promise<SubscriptionRecord> {
  const sub = await accountStub(env, cid).getSubscription(id);
  if (!sub) throw notFound(`no subscription with id ${id}`);
  return sub;
}

/** The account's subscriptions; with `audience` (id or slug) those that reference it. */
export async function listSubscriptions(env: Env, cid: string, audience?: string): Promise<SubscriptionRecord[]> {
  const rpc = accountStub(env, cid);
  const list = await rpc.listSubscriptions();
  if (!audience) return list;
  const seg = await rpc.getAudience(audience);
  return seg ? list.filter((s) => s.config.segment_ids.includes(seg.id)) : [];
}

/**
 * Stores a subscription: delivery object first (so no routed change finds
 * it unconfigured), then the account's registry, then the isolate caches.
 */
export async function storeSubscription(
  env: Env,
  record: SubscriptionRecord,
  backfill: { slug: string; segment_id: string } | null,
): Promise<void> {
  await deliveryStub(env, record.account_id, record.id).configure(record, backfill);
  await accountStub(env, record.account_id).putSubscription(record);
  forgetSubscriptionRoutes(record.account_id);
  await refreshAccountCache(env, record.account_id);
}

/** The result of an upsert: the stored record, and its signing secret when it was created. */
export interface Upserted {
  record: SubscriptionRecord;
  /** The new signing secret, only when the subscription was created. */
  secret: string | null;
}

/**
 * Creates a subscription, or updates the one `body.id` names (404 when
 * unknown): checks the input, the account's limit and the target URL,
 * saves an inline `segmentql` audience once the whole config is valid, and
 * stores the record (with a backfill when asked).
 */
export async function upsertSubscription(
  env: Env,
  account: AccountConfig,
  body: unknown,
  userId: string,
  development: boolean,
): Promise<Upserted> {
  const id = body && typeof body === "object" && !Array.isArray(body) ? (body as { id?: unknown }).id : undefined;
  const rpc = accountStub(env, account.cid);
  const existing = typeof id === "string" ? await rpc.getSubscription(id) : null;
  if (id !== undefined && !existing) throw notFound(`no subscription with id ${String(id)}`);
  const input = parseSubscriptionInput(body, !existing);
  if (!existing && (await rpc.listSubscriptions()).length >= MAX_SUBSCRIPTIONS)
    throw unprocessable(`an account may have at most ${MAX_SUBSCRIPTIONS} subscriptions`);
  const url = input.webhook_url ?? existing?.config.webhook_url;
  if (!url) throw unprocessable("webhook_url is required", [{ path: "webhook_url", message: "the URL to POST to" }]);
  const target = checkTarget(url, development);
  const { segments, inline } = await resolveAudiences(rpc, input, existing);
  const subId = existing?.id ?? hexId();
  const configFor = () =>
    configOf(input, existing?.config ?? null, {
      cid: account.cid,
      id: subId,
      segmentIds: segments.map((s) => s.id),
      url: target,
    });
  // Validate the whole config before the inline audience is saved.
  configFor();
  if (inline) {
    const saved = await saveSegment(
      rpc,
      { slug_name: inline.alias, ast: inline.ast },
      await rpc.getAudience(inline.alias),
    );
    if (!segments.some((s) => s.id === saved.id)) segments.push(saved);
    await refreshAccountCache(env, account.cid);
  }
  const config = configFor();
  const now = new Date().toISOString();
  const secret = existing ? null : newSecret();
  const record: SubscriptionRecord = {
    id: subId,
    account_id: account.cid,
    user_id: existing?.user_id ?? userId,
    workflow: "webhook_triggers",
    state: "active",
    state_reason: null,
    config,
    secrets: existing?.secrets ?? [{ secret: secret!, expires: null }],
    created: existing?.created ?? now,
    updated: now,
  };
  const backfill = input.withbackfill ? { slug: segments[0]!.slug_name, segment_id: segments[0]!.id } : null;
  await storeSubscription(env, record, backfill);
  return { record, secret };
}

/** Deletes a subscription: from the account's registry and caches first, then everything queued for it. */
export async function deleteSubscription(env: Env, cid: string, id: string): Promise<void> {
  const sub = await findSubscription(env, cid, id);
  await accountStub(env, cid).deleteSubscription(sub.id);
  forgetSubscriptionRoutes(cid);
  await refreshAccountCache(env, cid);
  await deliveryStub(env, cid, sub.id).destroy();
}

/**
 * Rotates a subscription's signing secret; the newest previous one keeps
 * signing (a second signature) for `graceMs` (0 drops it now).
 */
export async function rotateSecret(
  env: Env,
  sub: SubscriptionRecord,
  graceMs: number,
): Promise<{ record: SubscriptionRecord; secret: string }> {
  const now = Date.now();
  const secret = newSecret();
  const previous = sub.secrets.filter((s) => !s.expires || Date.parse(s.expires) > now).slice(0, 1);
  const kept =
    graceMs > 0
      ? previous.map((s) => ({
          secret: s.secret,
          expires: new Date(Math.min(now + graceMs, s.expires ? Date.parse(s.expires) : Infinity)).toISOString(),
        }))
      : [];
  const record: SubscriptionRecord = {
    ...sub,
    secrets: [{ secret, expires: null }, ...kept],
    updated: new Date(now).toISOString(),
  };
  await storeSubscription(env, record, null);
  return { record, secret };
}

/** Queues a subscription's dead letters again, or every request created in `from`..`to` (409 when disabled). */
export async function replayDeliveries(
  env: Env,
  sub: SubscriptionRecord,
  from: string | undefined,
  to: string | undefined,
): Promise<number> {
  if (sub.state !== "active")
    throw conflict(
      "the subscription is disabled; update it (POST /api/subscription with its id) to enable it, then replay",
    );
  const range = from || to ? { from: from ? Date.parse(from) : 0, to: to ? Date.parse(to) : Date.now() } : null;
  return deliveryStub(env, sub.account_id, sub.id).replay(range);
}
