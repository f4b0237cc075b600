/**
 * Experiences API (`/api/experience`, token and roles), the report, the
 * browser's `config.js`, and the experiences `/personalize` lists.
 */
import type { Context } from "hono";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountOfCall, requireRole } from "../accounts/access/auth";
import { browserGuard } from "../accounts/access/browser-guard";
import { findAccount } from "../accounts/settings/config";
import { READ, WRITE } from "../accounts/access/roles";
import { readJson } from "../platform/http/body";
import { conflict, notFound, unprocessable } from "../platform/http/errors";
import { errorResponses, jsonBody, jsonContent, tokenSecurity as security } from "../platform/http/openapi";
import { configScript } from "./config-script";
import type { Experience, Outcome } from "./contract";
import { eligibleFor, experienceStore, reportOf } from "./delivery";
import {
  CidQuery,
  ConfigParams,
  envelope,
  ExperienceInputDoc,
  ExperiencePatchDoc,
  ExperienceSchema,
  IdParams,
  ListQuery,
  ReportQuery,
  ReportSchema,
} from "./schemas";

const tags = ["Experiences"];
const read = requireRole(...READ);
const write = requireRole(...WRITE);

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

/**
 * The experiences sub-app: the browser's `config.js`, the `/personalize`
 * completion, and the management API. Mount it before the profiles
 * sub-app: it wraps `/personalize`, whose answer it completes.
 */
export function experiencesRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  // ---- the browser's config.js ----
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/experience/candidate/{cid}/config.js",
      tags: ["Browser"],
      summary: "The account's published experiences as Pathfora configuration (config.js)",
      description:
        "Browser endpoint (no token; checked against the account's domain allowlist). One statement, `(window.pathlightExperiences=window.pathlightExperiences||[]).push({...})`, read by the tag's experience loader. Never contains drafts, paused or archived experiences, nor string callbacks unless the account sets `allow_string_callbacks`. Strong ETag; `If-None-Match` answers 304. Revalidated on every load (`max-age=0`), so a publish, pause, archive or edit is live on the next page load.",
      middleware: browserGuard(),
      request: { params: ConfigParams },
      responses: {
        200: { description: "The script", content: { "application/javascript": { schema: z.string() } } },
        304: { description: "Not modified" },
        ...errorResponses(403, 404, 429),
      },
    }),
    async (c) => {
      const account = c.get("account");
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
      return c.body(body, 200);
    },
  );

  // ---- /personalize lists the experiences the visitor qualifies for ----
  // Middleware on the one path this domain completes (profiles, below it in the domain order, cannot call it).
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
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/experience",
      tags,
      summary: "Create an experience",
      description:
        "A name, a tactic (`drive_traffic`, `collect_leads`, `present_message`, `recommend_content`, `gate_content`), variations (Pathfora widget configurations and traffic shares), an optional `control_share`, `targeting` by audience slug, `display_conditions`, `dates`, an optional `goal` event. Starts as a draft unless `status: published`. 422 names every field at fault.",
      security,
      middleware: write,
      request: { query: CidQuery, body: jsonBody(app, "ExperienceInput", ExperienceInputDoc) },
      responses: {
        201: jsonContent(envelope(ExperienceSchema), "Created"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const created = settled(await experienceStore(c.env, account.cid).create(await readJson(c)));
      return c.json({ status: 201, message: "created", data: created }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/experience",
      tags,
      summary: "List the account's experiences",
      security,
      middleware: read,
      request: { query: ListQuery },
      responses: {
        200: jsonContent(envelope(z.array(ExperienceSchema)), "Experiences"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const status = c.req.query("status");
      const all = await experienceStore(c.env, account.cid).list();
      return ok(
        c,
        all.filter((e) => !status || e.status === status),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/experience/{id}",
      tags,
      summary: "Read an experience",
      security,
      middleware: read,
      request: { params: IdParams, query: CidQuery },
      responses: {
        200: jsonContent(envelope(ExperienceSchema), "The experience"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const id = c.req.param("id");
      return ok(c, found(await experienceStore(c.env, account.cid).get(id), id));
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/experience/{id}",
      tags,
      summary: "Edit an experience, change its status, or set vehicle.detail_override",
      description:
        "Any field of the create body; `status` moves it through draft → published ⇄ paused → archived (409 for a move the lifecycle forbids, and for any edit of an archived experience). `vehicle.detail_override` is any Pathfora configuration merged over every variation's widget (JSON Merge Patch: objects merge, arrays and scalars replace, `null` removes). String callbacks in it are stored and delivered only when the account sets `allow_string_callbacks`.",
      security,
      middleware: write,
      request: {
        params: IdParams,
        query: CidQuery,
        body: jsonBody(app, "ExperiencePatchInput", ExperiencePatchDoc),
      },
      responses: {
        200: jsonContent(envelope(ExperienceSchema), "Updated"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const id = c.req.param("id");
      const out = found(await experienceStore(c.env, account.cid).patch(id, await readJson(c)), id);
      return ok(c, settled(out), "updated");
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/experience/{id}",
      tags,
      summary: "Delete an experience (409 while published: pause it first)",
      security,
      middleware: write,
      request: { params: IdParams, query: CidQuery },
      responses: {
        200: jsonContent(envelope(ExperienceSchema), "Deleted"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const id = c.req.param("id");
      const out = found(await experienceStore(c.env, account.cid).remove(id), id);
      return ok(c, settled(out), "deleted");
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/experience/{id}/report",
      tags,
      summary: "Reach, conversions, conversion rate and a daily series per variation",
      description:
        "Counted from the widgets' tracking events (`pf-widget-event`), once per profile; the control group's reach is the visitors held out, and with a `goal` event its goal conversions give each variation's lift. `from`/`to` (`YYYY-MM-DD`) limit the series.",
      security,
      middleware: read,
      request: { params: IdParams, query: ReportQuery },
      responses: {
        200: jsonContent(envelope(ReportSchema), "The report"),
        ...errorResponses(400, 401, 403, 404, 422),
      },
    }),
    async (c) => {
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
    },
  );
  return app;
}
