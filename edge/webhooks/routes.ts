import type { Context } from "hono";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountStub, refreshAccountCache, type AccountConfig } from "../accounts/config";
import { accountOfCall, refuseAttributeLimited, requireRole } from "../accounts/auth";
import { READ, WRITE } from "../accounts/roles";
import { mediaType, readJson } from "../platform/http/body";
import { conflict, notFound, unprocessable } from "../platform/http/errors";
import { errorResponses, tokenSecurity } from "../platform/http/openapi";
import { hexId } from "../accounts/audience-records";
import { saveSegment } from "../audiences/definitions";
import {
  checkTarget,
  configOf,
  parseSubscriptionInput,
  resolveAudiences,
  SubscriptionInputSchema,
} from "./subscription-input";
import { deliveryStub, forgetSubscriptionRoutes, publicSubscription } from "./subscriptions";
import { MAX_SUBSCRIPTIONS, type SubscriptionRecord } from "../accounts/subscription-catalog";
import { newSecret } from "./delivery/signing";
import { zodErrors } from "../platform/http/validation";

const ConfigSchema = z
  .object({
    channel: z.literal("webhook"),
    name: z.string(),
    description: z.string(),
    segment_ids: z.array(z.string()),
    segmentql: z.string().optional(),
    webhook_url: z.string(),
    headers: z.record(z.string(), z.string()),
    withbackfill: z.boolean(),
    format: z.enum(["lytics", "cloudevents"]),
    cloudevents_type: z.string(),
    cloudevents_source: z.string(),
    batch: z.boolean(),
    batch_size: z.number().int(),
    trigger_fields: z.array(z.string()).optional(),
  })
  .openapi("SubscriptionConfig");

const SubscriptionSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    user_id: z.string(),
    name: z.string(),
    description: z.string(),
    segment_ids: z.array(z.string()),
    segmentql: z.string().optional(),
    workflow: z.literal("webhook_triggers"),
    state: z.enum(["active", "disabled"]),
    state_reason: z.string().nullable(),
    config: ConfigSchema,
    created: z.string(),
    updated: z.string(),
    secret: z
      .string()
      .optional()
      .openapi({ description: "The signing secret (`whsec_...`): only in the answer that creates or rotates it" }),
  })
  .openapi("Subscription");

const AttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  status: z.number().int().nullable(),
  latency_ms: z.number().int(),
  error: z.string().nullable(),
});
const CountsSchema = z.object({
  pending: z.number().int(),
  sending: z.number().int(),
  delivered: z.number().int(),
  dead: z.number().int(),
  queued_messages: z.number().int(),
});
const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The request's webhook-id" }),
    state: z.enum(["pending", "sending", "delivered", "dead"]),
    attempts: z.number().int(),
    created: z.string(),
    updated: z.string(),
    next_attempt: z.string().nullable(),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    messages: z.array(
      z.object({
        event_id: z.string(),
        profile_id: z.string(),
        seq: z.number().int(),
        backfill: z.boolean(),
        segment_events: z.array(z.object({ slug: z.string(), event: z.string() })),
      }),
    ),
    log: z.array(AttemptSchema),
  })
  .openapi("Delivery");

const ReplayBody = z
  .object({
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict()
  .openapi("ReplayInput");
const RotateBody = z
  .object({
    expire_previous_after_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .optional()
      .openapi({ description: "How long the previous secret keeps signing too (default 86400; 0 drops it now)" }),
  })
  .strict()
  .openapi("RotateSecretInput");

const envelope = (schema: z.ZodType) => ({
  "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: schema }) },
});
const query = z.object({ cid: z.string().optional() });
const idParam = z.object({ id: z.string() });
const tags = ["Subscriptions"];

/** Whether the account may target http and local hosts (development mode). */
const development = (c: Context<AppEnv>) => c.env.PATHLIGHT_ENV === "development";
/** Readers see header names, not values (they may carry the receiver's credentials). */
const redact = (c: Context<AppEnv>) => c.get("auth").role === "reader";

async function findSubscription(c: Context<AppEnv>, account: AccountConfig, id: string): Promise<SubscriptionRecord> {
  const sub = await accountStub(c.env, account.cid).getSubscription(id);
  if (!sub) throw notFound(`no subscription with id ${id}`);
  return sub;
}

/** Reads an optional JSON body (none, or empty, is `{}`). */
async function optionalJson(c: Context<AppEnv>): Promise<unknown> {
  if (!mediaType(c) && !c.req.header("content-length")) return {};
  if (c.req.header("content-length") === "0") return {};
  return readJson(c);
}

/** Stores a subscription: delivery object first (so no routed change finds it unconfigured), then the account's registry. */
async function store(
  c: Context<AppEnv>,
  record: SubscriptionRecord,
  backfill: { slug: string; segment_id: string } | null,
): Promise<void> {
  await deliveryStub(c.env, record.account_id, record.id).configure(record, backfill);
  await accountStub(c.env, record.account_id).putSubscription(record);
  forgetSubscriptionRoutes(record.account_id);
  await refreshAccountCache(c.env, record.account_id);
}

/** Subscription API (`/api/subscription`, reference 000): webhooks for audience enter/exit events. */
export function registerSubscriptions(app: OpenAPIHono<AppEnv>): void {
  for (const path of ["/api/subscription", "/api/subscription/*"]) {
    app.on("GET", path, requireRole(...READ));
    app.on(["POST", "PUT", "DELETE"], path, requireRole(...WRITE));
    app.use(path, refuseAttributeLimited("subscriptions (webhooks send whole profiles)"));
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/subscription",
      tags,
      summary: "List subscriptions (optionally those that reference an audience, by id or slug)",
      security: tokenSecurity,
      request: { query: query.extend({ segment_id: z.string().optional() }) },
      responses: {
        200: { description: "Subscriptions", content: envelope(z.array(SubscriptionSchema)) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const rpc = accountStub(c.env, account.cid);
      let list = await rpc.listSubscriptions();
      const filter = c.req.valid("query").segment_id;
      if (filter) {
        const seg = await rpc.getAudience(filter);
        list = seg ? list.filter((s) => s.config.segment_ids.includes(seg.id)) : [];
      }
      return c.json(
        { status: 200, message: "success", data: list.map((s) => publicSubscription(s, { redactHeaders: redact(c) })) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/subscription/{id}",
      tags,
      summary: "A subscription, with delivery counts and backfill progress",
      security: tokenSecurity,
      request: { query, params: idParam },
      responses: {
        200: {
          description: "The subscription",
          content: envelope(
            SubscriptionSchema.extend({
              delivery: z.object({
                counts: CountsSchema,
                backfill: z.object({ state: z.enum(["running", "done"]), sent: z.number().int() }).nullable(),
              }),
            }),
          ),
        },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const sub = await findSubscription(c, account, c.req.valid("param").id);
      const delivery = await deliveryStub(c.env, account.cid, sub.id).status();
      return c.json(
        {
          status: 200,
          message: "success",
          data: { ...publicSubscription(sub, { redactHeaders: redact(c) }), delivery },
        },
        200,
      );
    },
  );

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/api/subscription",
      tags,
      summary: "Create a subscription, or update one (with `id`)",
      description:
        "Webhook channel only (any other channel answers 422). Subscribes to `segment_ids` (ids or slugs) and/or the audience an inline `segmentql` creates or updates. `withbackfill` sends every current member as `enter` first (one audience only, else 400). The signing secret is in the answer that creates the subscription, and never again.",
      security: tokenSecurity,
      request: {
        query,
        body: { content: { "application/json": { schema: SubscriptionInputSchema } }, required: true },
      },
      responses: {
        200: { description: "Updated", content: envelope(SubscriptionSchema) },
        201: { description: "Created (with `secret`)", content: envelope(SubscriptionSchema) },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
  );
  app.post("/api/subscription", async (c) => {
    const account = await accountOfCall(c);
    const body = await readJson(c);
    const id = body && typeof body === "object" && !Array.isArray(body) ? (body as { id?: unknown }).id : undefined;
    const rpc = accountStub(c.env, account.cid);
    const existing = typeof id === "string" ? await rpc.getSubscription(id) : null;
    if (id !== undefined && !existing) throw notFound(`no subscription with id ${String(id)}`);
    const input = parseSubscriptionInput(body, !existing);
    if (!existing && (await rpc.listSubscriptions()).length >= MAX_SUBSCRIPTIONS)
      throw unprocessable(`an account may have at most ${MAX_SUBSCRIPTIONS} subscriptions`);
    const url = input.webhook_url ?? existing?.config.webhook_url;
    if (!url) throw unprocessable("webhook_url is required", [{ path: "webhook_url", message: "the URL to POST to" }]);
    const target = checkTarget(url, development(c));
    const { segments, inline } = await resolveAudiences(rpc, input, existing);
    const subId = existing?.id ?? hexId();
    // Validate the whole config before the inline audience is saved.
    configOf(input, existing?.config ?? null, {
      cid: account.cid,
      id: subId,
      segmentIds: segments.map((s) => s.id),
      url: target,
    });
    if (inline) {
      const saved = await saveSegment(
        rpc,
        { slug_name: inline.alias, ast: inline.ast },
        await rpc.getAudience(inline.alias),
      );
      if (!segments.some((s) => s.id === saved.id)) segments.push(saved);
      await refreshAccountCache(c.env, account.cid);
    }
    const config = configOf(input, existing?.config ?? null, {
      cid: account.cid,
      id: subId,
      segmentIds: segments.map((s) => s.id),
      url: target,
    });
    const now = new Date().toISOString();
    const secret = existing ? null : newSecret();
    const record: SubscriptionRecord = {
      id: subId,
      account_id: account.cid,
      user_id: existing?.user_id ?? c.get("auth").tokenId ?? "root",
      workflow: "webhook_triggers",
      state: "active",
      state_reason: null,
      config,
      secrets: existing?.secrets ?? [{ secret: secret!, expires: null }],
      created: existing?.created ?? now,
      updated: now,
    };
    const backfill = input.withbackfill ? { slug: segments[0]!.slug_name, segment_id: segments[0]!.id } : null;
    await store(c, record, backfill);
    if (existing) return c.json({ status: 200, message: "updated", data: publicSubscription(record) }, 200);
    return c.json({ status: 201, message: "created", data: publicSubscription(record, { secret: secret! }) }, 201);
  });

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/subscription/{id}",
      tags,
      summary: "Delete a subscription and everything queued for it",
      security: tokenSecurity,
      request: { query, params: idParam },
      responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const sub = await findSubscription(c, account, c.req.valid("param").id);
      await accountStub(c.env, account.cid).deleteSubscription(sub.id);
      forgetSubscriptionRoutes(account.cid);
      await refreshAccountCache(c.env, account.cid);
      await deliveryStub(c.env, account.cid, sub.id).destroy();
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/subscription/{id}/deliveries",
      tags,
      summary:
        "Delivery log: requests newest first with every attempt (status, latency, error); `state=dead` lists the dead letters",
      security: tokenSecurity,
      request: {
        query: query.extend({
          state: z.enum(["pending", "sending", "delivered", "dead"]).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
        params: idParam,
      },
      responses: {
        200: {
          description: "Deliveries",
          content: envelope(z.object({ counts: CountsSchema, deliveries: z.array(DeliverySchema) })),
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const sub = await findSubscription(c, account, c.req.valid("param").id);
      const q = c.req.valid("query");
      return c.json(
        {
          status: 200,
          message: "success",
          data: await deliveryStub(c.env, account.cid, sub.id).deliveries(q.state ?? null, q.limit ?? 50),
        },
        200,
      );
    },
  );

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/api/subscription/{id}/replay",
      tags,
      summary: "Send the dead letters again, or (with `from`/`to`) every request created in that time range",
      security: tokenSecurity,
      request: {
        query,
        params: idParam,
        body: { content: { "application/json": { schema: ReplayBody } }, required: false },
      },
      responses: {
        202: { description: "Queued again", content: envelope(z.object({ replayed: z.number().int() })) },
        ...errorResponses(400, 401, 403, 404, 409, 415, 422),
      },
    }),
  );
  app.post("/api/subscription/:id/replay", async (c) => {
    const account = await accountOfCall(c);
    const sub = await findSubscription(c, account, c.req.param("id"));
    const parsed = ReplayBody.safeParse(await optionalJson(c));
    if (!parsed.success) throw unprocessable("the replay is not valid", zodErrors(parsed.error));
    if (sub.state !== "active")
      throw conflict(
        "the subscription is disabled; update it (POST /api/subscription with its id) to enable it, then replay",
      );
    const { from, to } = parsed.data;
    const range = from || to ? { from: from ? Date.parse(from) : 0, to: to ? Date.parse(to) : Date.now() } : null;
    const replayed = await deliveryStub(c.env, account.cid, sub.id).replay(range);
    return c.json({ status: 202, message: "replaying", data: { replayed } }, 202);
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/api/subscription/{id}/secret",
      tags,
      summary: "Rotate the signing secret; the previous one keeps signing (a second signature) for a while",
      security: tokenSecurity,
      request: {
        query,
        params: idParam,
        body: { content: { "application/json": { schema: RotateBody } }, required: false },
      },
      responses: {
        200: { description: "Rotated (with the new `secret`)", content: envelope(SubscriptionSchema) },
        ...errorResponses(400, 401, 403, 404, 415, 422),
      },
    }),
  );
  app.post("/api/subscription/:id/secret", async (c) => {
    const account = await accountOfCall(c);
    const sub = await findSubscription(c, account, c.req.param("id"));
    const parsed = RotateBody.safeParse(await optionalJson(c));
    if (!parsed.success) throw unprocessable("the rotation is not valid", zodErrors(parsed.error));
    const grace = (parsed.data.expire_previous_after_seconds ?? 86_400) * 1000;
    const now = Date.now();
    const secret = newSecret();
    const previous = sub.secrets.filter((s) => !s.expires || Date.parse(s.expires) > now).slice(0, 1);
    const kept =
      grace > 0
        ? previous.map((s) => ({
            secret: s.secret,
            expires: new Date(Math.min(now + grace, s.expires ? Date.parse(s.expires) : Infinity)).toISOString(),
          }))
        : [];
    const record: SubscriptionRecord = {
      ...sub,
      secrets: [{ secret, expires: null }, ...kept],
      updated: new Date(now).toISOString(),
    };
    await store(c, record, null);
    return c.json({ status: 200, message: "rotated", data: publicSubscription(record, { secret }) }, 200);
  });
}
