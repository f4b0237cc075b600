import type { Context } from "hono";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountOfCall, refuseAttributeLimited, requireRole } from "../accounts/access/auth";
import { READ, WRITE } from "../accounts/access/roles";
import { mediaType, readJson } from "../platform/http/body";
import { errorResponses, jsonBody, jsonContent, tokenSecurity as security } from "../platform/http/openapi";
import { readJsonAs } from "../platform/http/validation";
import {
  CidQuery,
  DeliveriesQuery,
  DeliveriesSchema,
  envelope,
  IdParams,
  ListQuery,
  ReplayBody,
  RotateBody,
  SubscriptionInputSchema,
  SubscriptionSchema,
  SubscriptionStatusSchema,
} from "./schemas";
import {
  deleteSubscription,
  findSubscription,
  listSubscriptions,
  replayDeliveries,
  rotateSecret,
  upsertSubscription,
} from "./subscription-service";
import { deliveryStub, publicSubscription } from "./subscriptions";
import { subscriptionStateRoutes } from "./routes/state";

type C = Context<AppEnv>;

const tags = ["Subscriptions"];
const LIMITED = "subscriptions (webhooks send whole profiles)";
/** Reads need any role, writes admin or data_manager; no token limited to attributes (webhooks send whole profiles). */
const read = [requireRole(...READ), refuseAttributeLimited(LIMITED)];
const write = [requireRole(...WRITE), refuseAttributeLimited(LIMITED)];

/** Whether the account may target http and local hosts (development mode). */
const development = (c: C) => c.env.PATHLIGHT_ENV === "development";
/** Readers see header names, not values (they may carry the receiver's credentials). */
const redact = (c: C) => c.get("auth").role === "reader";

/** Reads an optional JSON body (none, or empty, is `{}`) and validates it (422 "the <what> is not valid"). */
async function optionalJsonAs<T extends z.ZodTypeAny>(c: C, schema: T, what: string): Promise<z.infer<T>> {
  if ((!mediaType(c) && !c.req.header("content-length")) || c.req.header("content-length") === "0") {
    const parsed = schema.safeParse({});
    if (parsed.success) return parsed.data;
  }
  return readJsonAs(c, schema, what);
}

/** The Subscription API (`/api/subscription`, reference 000): webhooks for audience enter/exit events. */
export function webhooksRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/subscription",
      tags,
      summary: "List subscriptions (optionally those that reference an audience, by id or slug)",
      security,
      middleware: read,
      request: { query: ListQuery },
      responses: {
        200: jsonContent(envelope(z.array(SubscriptionSchema)), "Subscriptions"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const list = await listSubscriptions(c.env, account.cid, c.req.valid("query").segment_id);
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
      security,
      middleware: read,
      request: { query: CidQuery, params: IdParams },
      responses: {
        200: jsonContent(envelope(SubscriptionStatusSchema), "The subscription"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const sub = await findSubscription(c.env, account.cid, c.req.valid("param").id);
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

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/subscription",
      tags,
      summary: "Create a subscription, or update one (with `id`)",
      description:
        "Webhook channel only (any other channel answers 422). Subscribes to `segment_ids` (ids or slugs) and/or the audience an inline `segmentql` creates or updates. `withbackfill` sends every current member as `enter` first (one audience only, else 400). The signing secret is in the answer that creates the subscription, and never again.",
      security,
      middleware: write,
      request: { query: CidQuery, body: jsonBody(app, "SubscriptionInput", SubscriptionInputSchema) },
      responses: {
        200: jsonContent(
          envelope(SubscriptionSchema),
          "Created (with `secret`, status 200 as Lytics answers) or updated",
        ),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const userId = c.get("auth").tokenId ?? "root";
      const { record, secret } = await upsertSubscription(c.env, account, await readJson(c), userId, development(c));
      if (!secret) return c.json({ status: 200, message: "updated", data: publicSubscription(record) }, 200);
      // 200, as Lytics' Subscription API answers an upsert that creates.
      return c.json({ status: 200, message: "created", data: publicSubscription(record, { secret }) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/subscription/{id}",
      tags,
      summary: "Delete a subscription and everything queued for it",
      security,
      middleware: write,
      request: { query: CidQuery, params: IdParams },
      responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      await deleteSubscription(c.env, account.cid, c.req.valid("param").id);
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
      security,
      middleware: read,
      request: { query: DeliveriesQuery, params: IdParams },
      responses: { 200: jsonContent(envelope(DeliveriesSchema), "Deliveries"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const sub = await findSubscription(c.env, account.cid, c.req.valid("param").id);
      const q = c.req.valid("query");
      const data = await deliveryStub(c.env, account.cid, sub.id).deliveries(q.state ?? null, q.limit ?? 50);
      return c.json({ status: 200, message: "success", data }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/subscription/{id}/replay",
      tags,
      summary: "Send the dead letters again, or (with `from`/`to`) every request created in that time range",
      security,
      middleware: write,
      request: {
        query: CidQuery,
        params: IdParams,
        body: jsonBody(app, "ReplayInput", ReplayBody, { required: false }),
      },
      responses: {
        202: jsonContent(envelope(z.object({ replayed: z.number().int() })), "Queued again"),
        ...errorResponses(400, 401, 403, 404, 409, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const sub = await findSubscription(c.env, account.cid, c.req.param("id"));
      const { from, to } = await optionalJsonAs(c, ReplayBody, "replay");
      const replayed = await replayDeliveries(c.env, sub, from, to);
      return c.json({ status: 202, message: "replaying", data: { replayed } }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/subscription/{id}/secret",
      tags,
      summary: "Rotate the signing secret; the previous one keeps signing (a second signature) for a while",
      security,
      middleware: write,
      request: {
        query: CidQuery,
        params: IdParams,
        body: jsonBody(app, "RotateSecretInput", RotateBody, { required: false }),
      },
      responses: {
        200: jsonContent(envelope(SubscriptionSchema), "Rotated (with the new `secret`)"),
        ...errorResponses(400, 401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const sub = await findSubscription(c.env, account.cid, c.req.param("id"));
      const parsed = await optionalJsonAs(c, RotateBody, "rotation");
      const grace = (parsed.expire_previous_after_seconds ?? 86_400) * 1000;
      const { record, secret } = await rotateSecret(c.env, sub, grace);
      return c.json({ status: 200, message: "rotated", data: publicSubscription(record, { secret }) }, 200);
    },
  );
  app.route("/", subscriptionStateRoutes()); // pause and resume
  return app;
}
