/**
 * Experiences API (`/api/experience`, token and roles), the report, the
 * browser's `config.js`, and the experiences `/personalize` lists.
 */
import type { Context } from "hono";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountOfCall, authenticate, tokenOf } from "../accounts/auth";
import { applyBrowserCors } from "../accounts/browser-guard";
import { findAccount, requireAccount } from "../accounts/config";
import { READ, WRITE, type Role } from "../accounts/roles";
import { CidSchema } from "../accounts/settings";
import { readJson } from "../platform/http/body";
import { conflict, notFound, unauthorized, unprocessable } from "../platform/http/errors";
import { errorResponses, tokenSecurity } from "../platform/http/openapi";
import { configScript } from "./config-script";
import type { Experience, Outcome } from "./contract";
import { eligibleFor, experienceStore, reportOf } from "./delivery";

const ExperienceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    tactic: z.enum(["drive_traffic", "collect_leads", "present_message", "recommend_content", "gate_content"]),
    widget_type: z.string(),
    variations: z.array(
      z.object({ id: z.string(), name: z.string(), share: z.number(), widget: z.record(z.string(), z.unknown()) }),
    ),
    control_share: z.number(),
    targeting: z.object({ include: z.array(z.string()), exclude: z.array(z.string()) }),
    display_conditions: z.record(z.string(), z.unknown()),
    dates: z.object({ start_date: z.string().nullable(), end_date: z.string().nullable() }),
    status: z.enum(["draft", "published", "paused", "archived"]),
    vehicle: z.object({ detail_override: z.record(z.string(), z.unknown()).nullable() }),
    goal: z.object({ event: z.string() }).nullable(),
    string_callbacks: z.array(z.string()),
    published: z.string().nullable(),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("Experience");

/**
 * The request bodies as documented (validation is `schemas.ts`, run by the
 * store: its refinements have no OpenAPI form).
 */
const ExperienceInputDoc = z
  .object({
    name: z.string().max(200),
    description: z.string().optional(),
    tactic: z.enum([
      "drive_traffic",
      "collect_leads",
      "capture_leads",
      "present_message",
      "recommend_content",
      "gate_content",
    ]),
    variations: z
      .array(
        z.object({
          id: z.string().optional(),
          name: z.string().optional(),
          share: z.number().min(0).max(100).optional(),
          widget: z
            .record(z.string(), z.unknown())
            .openapi({ description: "Pathfora widget configuration, without id" }),
          link: z.object({ url: z.string(), new_tab: z.boolean().optional() }).optional(),
        }),
      )
      .min(1)
      .max(10),
    control_share: z.number().min(0).max(100).optional(),
    targeting: z
      .object({ include: z.array(z.string()).optional(), exclude: z.array(z.string()).optional() })
      .optional(),
    display_conditions: z.record(z.string(), z.unknown()).optional(),
    dates: z
      .object({ start_date: z.string().nullable().optional(), end_date: z.string().nullable().optional() })
      .optional(),
    goal: z.object({ event: z.string() }).nullable().optional(),
    status: z.enum(["draft", "published", "paused", "archived"]).optional(),
    vehicle: z.object({ detail_override: z.record(z.string(), z.unknown()).nullable().optional() }).optional(),
  })
  .openapi("ExperienceInput");
const ExperiencePatchDoc = ExperienceInputDoc.partial().openapi("ExperiencePatchInput");

const CountersSchema = z.object({
  reach: z.number(),
  conversions: z.number(),
  goal_conversions: z.number(),
  conversion_rate: z.number(),
  day: z.string(),
  events: z.record(z.string(), z.number()),
});
const ReportSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    tactic: z.string(),
    conversion: z.string(),
    goal: z.string().nullable(),
    totals: z.object({ reach: z.number(), conversions: z.number(), conversion_rate: z.number() }),
    variations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        reach: z.number(),
        conversions: z.number(),
        conversion_rate: z.number(),
        goal_conversions: z.number(),
        goal_rate: z.number(),
        lift: z.number().nullable(),
        events: z.record(z.string(), z.number()),
        series: z.array(CountersSchema),
      }),
    ),
    control: z
      .object({
        reach: z.number(),
        goal_conversions: z.number(),
        goal_rate: z.number(),
        series: z.array(CountersSchema),
      })
      .nullable(),
  })
  .openapi("ExperienceReport");

const envelope = (schema: z.ZodType) => ({
  "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: schema }) },
});
const cidQuery = z.object({ cid: z.string().optional() });
const idParam = z.object({ id: z.string() });
const tags = ["Experiences"];

/** Authenticates the call's token for `roles` (401/403) and records it, like `requireRole`. */
async function authorize(c: Context<AppEnv>, roles: Role[]): Promise<void> {
  const token = tokenOf(c);
  if (!token) throw unauthorized();
  c.set("auth", await authenticate(c.env, token, roles));
}

/** The outcome's value, or its problem as a 422 or 409. */
function settled<T>(out: Outcome<T>): T {
  if (out.ok) return out.value;
  const { kind, message, errors } = out.problem;
  throw kind === "conflict" ? conflict(message, errors) : unprocessable(message, errors);
}

const found = <T>(value: T | null, id: string): T => {
  if (value === null) throw notFound(`no experience with id ${id}`);
  return value;
};

const ok = <T>(c: Context<AppEnv>, data: T, message = "success") => c.json({ status: 200, message, data }, 200);

/** Registers the experiences routes. Call before `registerPersonalize` (it wraps `/personalize`). */
export function registerExperiences(app: OpenAPIHono<AppEnv>): void {
  // ---- the browser's config.js ----
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "get",
      path: "/api/experience/candidate/{cid}/config.js",
      tags: ["Browser"],
      summary: "The account's published experiences as Pathfora configuration (config.js)",
      description:
        "Browser endpoint (no token; checked against the account's domain allowlist). One statement, `(window.pathlightExperiences=window.pathlightExperiences||[]).push({...})`, read by the tag's experience loader. Never contains drafts, paused or archived experiences, nor string callbacks unless the account sets `allow_string_callbacks`. Strong ETag; `If-None-Match` answers 304. Revalidated on every load (`max-age=0`), so a publish, pause, archive or edit is live on the next page load.",
      request: { params: z.object({ cid: CidSchema }) },
      responses: {
        200: { description: "The script", content: { "application/javascript": { schema: z.string() } } },
        304: { description: "Not modified" },
        ...errorResponses(403, 404, 429),
      },
    }),
  );
  app.get("/api/experience/candidate/:cid/config.js", async (c) => {
    const account = await requireAccount(c.env, c.req.param("cid"));
    applyBrowserCors(c, account);
    const { experiences } = await experienceStore(c.env, account.cid).published();
    const { body, etag } = await configScript(account.cid, experiences, {
      allowStringCallbacks: account.allow_string_callbacks,
      now: new Date(),
    });
    c.header("ETag", etag);
    c.header("Cache-Control", "public, max-age=0, must-revalidate");
    c.header("Content-Type", "application/javascript; charset=utf-8");
    const match = c.req.header("if-none-match");
    if (match && match.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return c.body(null, 304);
    return c.body(body);
  });

  // ---- /personalize lists the experiences the visitor qualifies for ----
  app.use("/personalize", async (c, next) => {
    await next();
    if (c.req.method !== "GET" || c.res.status !== 200) return;
    const cid = c.req.query("cid");
    const account = cid ? await findAccount(c.env, cid) : null;
    if (!account) return;
    const entity = (await c.res.clone().json()) as {
      data: { user: { _uid?: string; _uids?: string[]; segments?: string[] }; experiences: unknown[] };
    };
    const user = entity.data.user;
    const key = user._uids?.[0] ?? user._uid;
    if (!key) return;
    const experiences = await eligibleFor(c.env, account, { key, segments: user.segments ?? [] });
    if (!experiences.length) return;
    entity.data.experiences = experiences;
    const headers = new Headers(c.res.headers);
    headers.delete("content-length");
    c.res = new Response(JSON.stringify(entity), { status: 200, headers });
  });

  // ---- management ----
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/api/experience",
      tags,
      summary: "Create an experience",
      description:
        "A name, a tactic (`drive_traffic`, `collect_leads`, `present_message`, `recommend_content`, `gate_content`), variations (Pathfora widget configurations and traffic shares), an optional `control_share`, `targeting` by audience slug, `display_conditions`, `dates`, an optional `goal` event. Starts as a draft unless `status: published`. 422 names every field at fault.",
      security: tokenSecurity,
      request: {
        query: cidQuery,
        body: { content: { "application/json": { schema: ExperienceInputDoc } }, required: true },
      },
      responses: {
        201: { description: "Created", content: envelope(ExperienceSchema) },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
  );
  app.post("/api/experience", async (c) => {
    await authorize(c, WRITE);
    const account = await accountOfCall(c);
    const created = settled(await experienceStore(c.env, account.cid).create(await readJson(c)));
    return c.json({ status: 201, message: "created", data: created }, 201);
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "get",
      path: "/api/experience",
      tags,
      summary: "List the account's experiences",
      security: tokenSecurity,
      request: { query: cidQuery.extend({ status: z.enum(["draft", "published", "paused", "archived"]).optional() }) },
      responses: {
        200: { description: "Experiences", content: envelope(z.array(ExperienceSchema)) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
  );
  app.get("/api/experience", async (c) => {
    await authorize(c, READ);
    const account = await accountOfCall(c);
    const status = c.req.query("status");
    const all = await experienceStore(c.env, account.cid).list();
    return ok(
      c,
      all.filter((e) => !status || e.status === status),
    );
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "get",
      path: "/api/experience/{id}",
      tags,
      summary: "Read an experience",
      security: tokenSecurity,
      request: { params: idParam, query: cidQuery },
      responses: {
        200: { description: "The experience", content: envelope(ExperienceSchema) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
  );
  app.get("/api/experience/:id", async (c) => {
    await authorize(c, READ);
    const account = await accountOfCall(c);
    const id = c.req.param("id");
    return ok(c, found(await experienceStore(c.env, account.cid).get(id), id));
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "patch",
      path: "/api/experience/{id}",
      tags,
      summary: "Edit an experience, change its status, or set vehicle.detail_override",
      description:
        "Any field of the create body; `status` moves it through draft → published ⇄ paused → archived (409 for a move the lifecycle forbids, and for any edit of an archived experience). `vehicle.detail_override` is any Pathfora configuration merged over every variation's widget (JSON Merge Patch: objects merge, arrays and scalars replace, `null` removes). String callbacks in it are stored and delivered only when the account sets `allow_string_callbacks`.",
      security: tokenSecurity,
      request: {
        params: idParam,
        query: cidQuery,
        body: { content: { "application/json": { schema: ExperiencePatchDoc } }, required: true },
      },
      responses: {
        200: { description: "Updated", content: envelope(ExperienceSchema) },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
  );
  app.patch("/api/experience/:id", async (c) => {
    await authorize(c, WRITE);
    const account = await accountOfCall(c);
    const id = c.req.param("id");
    const out = found(await experienceStore(c.env, account.cid).patch(id, await readJson(c)), id);
    return ok(c, settled(out), "updated");
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "delete",
      path: "/api/experience/{id}",
      tags,
      summary: "Delete an experience (409 while published: pause it first)",
      security: tokenSecurity,
      request: { params: idParam, query: cidQuery },
      responses: {
        200: { description: "Deleted", content: envelope(ExperienceSchema) },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
  );
  app.delete("/api/experience/:id", async (c) => {
    await authorize(c, WRITE);
    const account = await accountOfCall(c);
    const id = c.req.param("id");
    const out = found(await experienceStore(c.env, account.cid).remove(id), id);
    return ok(c, settled(out), "deleted");
  });

  app.openAPIRegistry.registerPath(
    createRoute({
      method: "get",
      path: "/api/experience/{id}/report",
      tags,
      summary: "Reach, conversions, conversion rate and a daily series per variation",
      description:
        "Counted from the widgets' tracking events (`pf-widget-event`), once per profile; the control group's reach is the visitors held out, and with a `goal` event its goal conversions give each variation's lift. `from`/`to` (`YYYY-MM-DD`) limit the series.",
      security: tokenSecurity,
      request: {
        params: idParam,
        query: cidQuery.extend({
          from: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional(),
          to: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional(),
        }),
      },
      responses: {
        200: { description: "The report", content: envelope(ReportSchema) },
        ...errorResponses(400, 401, 403, 404, 422),
      },
    }),
  );
  app.get("/api/experience/:id/report", async (c) => {
    await authorize(c, READ);
    const account = await accountOfCall(c);
    const id = c.req.param("id");
    const experience: Experience = found(await experienceStore(c.env, account.cid).get(id), id);
    const range: { from?: string; to?: string } = {};
    for (const k of ["from", "to"] as const) {
      const v = c.req.query(k);
      if (v === undefined) continue;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
        throw unprocessable("invalid date", [{ path: k, message: "a day YYYY-MM-DD" }]);
      range[k] = v;
    }
    if (range.from && range.to && range.from > range.to)
      throw unprocessable("invalid range", [{ path: "to", message: "on or after from" }]);
    if (range.from && range.to && Date.parse(range.to) - Date.parse(range.from) > 366 * 86_400_000)
      throw unprocessable("invalid range", [{ path: "to", message: "at most 366 days after from" }]);
    return ok(c, await reportOf(c.env, account.cid, experience, range));
  });
}
