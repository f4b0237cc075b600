/**
 * Pausing and resuming a subscription (`POST /api/subscription/{id}/pause`
 * and `/resume`). A paused subscription is `disabled` with the reason
 * "paused": audience changes that happen while it is paused are not
 * queued for it, and requests already queued wait; resuming sends those
 * and every later change.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall, refuseAttributeLimited, requireRole } from "../../accounts/access/auth";
import { accountStub, refreshAccountCache } from "../../accounts/settings/config";
import { WRITE } from "../../accounts/access/roles";
import type { SubscriptionRecord } from "../../accounts/records/subscription-catalog";
import { notFound } from "../../platform/http/errors";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";
import { routeApp } from "../../platform/http/route-app";
import { CidQuery, jsonEnvelope, SubscriptionParam, SubscriptionStateSchema } from "../schemas";
import { deliveryStub, forgetSubscriptionRoutes } from "../subscriptions";

/** The reason a paused subscription shows. */
export const PAUSED = "paused";

const tags = ["Subscriptions"];

/** Sets a subscription's state: its delivery object first, then the account's registry. */
async function setState(c: Context<AppEnv>, id: string, active: boolean) {
  const account = await accountOfCall(c);
  const sub = await accountStub(c.env, account.cid).getSubscription(id);
  if (!sub) throw notFound(`no subscription with id ${id}`);
  const record: SubscriptionRecord = {
    ...sub,
    state: active ? "active" : "disabled",
    state_reason: active ? null : PAUSED,
    updated: new Date().toISOString(),
  };
  await deliveryStub(c.env, account.cid, sub.id).configure(record, null);
  await accountStub(c.env, account.cid).putSubscription(record);
  forgetSubscriptionRoutes(account.cid);
  await refreshAccountCache(c.env, account.cid);
  const { state, state_reason, updated } = record;
  return c.json(
    { status: 200, message: active ? "resumed" : "paused", data: { id, state, state_reason, updated } },
    200,
  );
}

/** Pause and resume routes (mounted with `app.route("/", ...)`). */
export function subscriptionStateRoutes(): OpenAPIHono<AppEnv> {
  const app = routeApp<AppEnv>();
  for (const action of ["pause", "resume"] as const) {
    const path = `/api/subscription/:id/${action}`;
    app.use(path, requireRole(...WRITE), refuseAttributeLimited("subscriptions (webhooks send whole profiles)"));
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/subscription/{id}/${action}`,
        tags,
        summary:
          action === "pause"
            ? "Pause a subscription: changes while paused are not queued; queued requests wait"
            : "Resume a paused (or disabled) subscription: queued requests are sent, and every later change",
        security: tokenSecurity,
        request: { query: CidQuery, params: SubscriptionParam },
        responses: {
          200: { description: "The new state", content: jsonEnvelope(SubscriptionStateSchema) },
          ...errorResponses(401, 403, 404),
        },
      }),
      (c) => setState(c, c.req.valid("param").id, action === "resume"),
    );
  }
  return app;
}
