import type { Context } from "hono";
import { jobsOfAudience } from "./job-list";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountStub, refreshAccountCache, type AccountConfig } from "../accounts/config";
import { accountOfCall, requireRole } from "../accounts/auth";
import { READ, WRITE } from "../accounts/roles";
import { audienceSizes, dropAudience } from "./index-shards";
import { readJson, readText, API_BODY_LIMIT, mediaType } from "../platform/http/body";
import { badRequest, notFound, unprocessable, unsupportedType } from "../platform/http/errors";
import { errorResponses, tokenSecurity } from "../platform/http/openapi";
import { hexId, type AudienceGroup, type AudienceJob, type AudienceRecord } from "../accounts/audience-records";
import { ancestors, checkDeletable, definitionOf, parseText, saveSegment } from "./definitions";
import { zodErrors } from "../platform/http/validation";

const SegmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug_name: z.string(),
    description: z.string(),
    table: z.literal("user"),
    is_public: z.boolean(),
    kind: z.enum(["rule", "manual"]),
    ast: z.unknown().nullable(),
    segment_ql: z.string(),
    groups: z.array(z.string()),
    size: z.number().int(),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("Segment");

const SegmentBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    slug_name: z.string().min(1).max(128).optional(),
    description: z.string().max(2000).optional(),
    is_public: z.boolean().optional(),
    table: z.literal("user").optional(),
    kind: z.enum(["rule", "manual"]).optional(),
    ast: z.unknown().optional(),
    segment_ql: z.string().max(100_000).optional(),
    groups: z.array(z.string()).max(50).optional(),
  })
  .strict()
  .openapi("SegmentInput");

const GroupBody = z
  .object({ name: z.string().min(1).max(200), description: z.string().max(2000).optional() })
  .strict()
  .openapi("SegmentGroupInput");
const GroupSchema = z
  .object({ id: z.string(), name: z.string(), description: z.string(), created: z.string(), updated: z.string() })
  .openapi("AudienceGroup");
const JobSchema = z
  .object({
    id: z.string(),
    segment_id: z.string(),
    type: z.literal("reevaluate"),
    state: z.enum(["queued", "running", "completed", "failed"]),
    progress: z.object({ done: z.number(), total: z.number().nullable(), shard: z.number(), changed: z.number() }),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("AudienceJob");

const ExportJobSchema = z
  .object({
    id: z.string().openapi({ description: "The subscription id" }),
    segment_id: z.string(),
    type: z.literal("export"),
    workflow: z.literal("webhook_triggers"),
    name: z.string(),
    state: z.enum(["active", "disabled"]),
    state_reason: z.string().nullable(),
    withbackfill: z.boolean(),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("AudienceExportJob");

const envelope = (schema: z.ZodType) => ({
  "application/json": { schema: z.object({ status: z.number(), message: z.string(), data: schema }) },
});
const query = z.object({ cid: z.string().optional() });
const idParam = z.object({ id: z.string() });
const ok = <T>(c: Context<AppEnv>, data: T, message = "success") => c.json({ status: 200, message, data }, 200);
const created = <T>(c: Context<AppEnv>, data: T) => c.json({ status: 201, message: "created", data }, 201);

/** Adds sizes to records. */
async function withSizes(c: Context<AppEnv>, cid: string, records: AudienceRecord[]) {
  const sizes = await audienceSizes(c.env, cid);
  return records.map((r) => ({ ...r, size: sizes[r.slug_name] ?? 0 }));
}

/** Refreshes this isolate's cached account after an audience change. */
const refreshAccount = (c: Context<AppEnv>, cid: string): Promise<void> => refreshAccountCache(c.env, cid);

async function findSegment(c: Context<AppEnv>, account: AccountConfig, id: string): Promise<AudienceRecord> {
  const seg = await accountStub(c.env, account.cid).getAudience(id);
  if (!seg) throw notFound(`no audience with id or slug ${id}`);
  return seg;
}

async function parseBody(c: Context<AppEnv>) {
  const parsed = SegmentBody.safeParse(await readJson(c));
  if (!parsed.success) throw unprocessable("the audience is not valid", zodErrors(parsed.error));
  return parsed.data;
}

/** Segment API v1 (SegmentQL text upsert) and v2 (reference 001). */
export function registerSegments(app: OpenAPIHono<AppEnv>): void {
  for (const path of ["/api/segment", "/v2/segment", "/v2/segment/*"]) {
    app.on("GET", path, requireRole(...READ));
    app.on(["POST", "PUT", "DELETE"], path, requireRole(...WRITE));
  }

  // ---- v1 ----
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/api/segment",
      tags: ["Audiences"],
      summary: "Create or update an audience from SegmentQL text, by its ALIAS",
      description:
        "Body: SegmentQL text (`Content-Type: text/plain`), e.g. `FILTER AND (visitct > 3) FROM user ALIAS engaged`. Syntax errors answer 400 naming line and column.",
      security: tokenSecurity,
      request: { query, body: { content: { "text/plain": { schema: z.string() } }, required: true } },
      responses: {
        200: { description: "Updated", content: envelope(SegmentSchema) },
        201: { description: "Created", content: envelope(SegmentSchema) },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
  );
  app.post("/api/segment", async (c) => {
    const account = await accountOfCall(c);
    const type = mediaType(c);
    if (type !== "text/plain" && type !== "application/x-segmentql")
      throw unsupportedType("send SegmentQL text with Content-Type text/plain");
    const parsed = parseText(await readText(c, API_BODY_LIMIT));
    if (!parsed.alias)
      throw badRequest("the SegmentQL needs an ALIAS: it names the audience", [
        { path: "segment_ql", message: "add ALIAS <slug>" },
      ]);
    if (parsed.table !== "user") throw unprocessable("only the user table has audiences");
    const rpc = accountStub(c.env, account.cid);
    const existing = await rpc.getAudience(parsed.alias);
    const saved = await saveSegment(rpc, { slug_name: parsed.alias, ast: parsed.ast }, existing);
    await refreshAccount(c, account.cid);
    const data = (await withSizes(c, account.cid, [saved]))[0];
    return existing ? ok(c, data, "updated") : created(c, data);
  });
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/segment",
      tags: ["Audiences"],
      summary: "List audiences",
      security: tokenSecurity,
      request: { query },
      responses: {
        200: { description: "Audiences", content: envelope(z.array(SegmentSchema)) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      return ok(c, await withSizes(c, account.cid, await accountStub(c.env, account.cid).listAudiences()));
    },
  );

  // ---- v2 groups (before /v2/segment/:id) ----
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/group",
      tags: ["Audiences"],
      summary: "List audience groups",
      security: tokenSecurity,
      request: { query },
      responses: {
        200: { description: "Groups", content: envelope(z.array(GroupSchema)) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => ok(c, await accountStub(c.env, (await accountOfCall(c)).cid).listGroups()),
  );
  const groupWrite = (method: "post" | "put", path: string) =>
    createRoute({
      method,
      path,
      tags: ["Audiences"],
      summary: method === "post" ? "Create an audience group" : "Update an audience group",
      security: tokenSecurity,
      request: {
        query,
        ...(path.includes("{id}") ? { params: idParam } : {}),
        body: { content: { "application/json": { schema: GroupBody } }, required: true },
      },
      responses: {
        200: { description: "The group", content: envelope(GroupSchema) },
        201: { description: "Created", content: envelope(GroupSchema) },
        ...errorResponses(400, 401, 403, 404, 415, 422),
      },
    });
  app.openAPIRegistry.registerPath(groupWrite("post", "/v2/segment/group"));
  app.openAPIRegistry.registerPath(groupWrite("put", "/v2/segment/group/{id}"));
  const readGroup = async (c: Context<AppEnv>) => {
    const parsed = GroupBody.safeParse(await readJson(c));
    if (!parsed.success) throw unprocessable("the group is not valid", zodErrors(parsed.error));
    return parsed.data;
  };
  app.post("/v2/segment/group", async (c) => {
    const account = await accountOfCall(c);
    const body = await readGroup(c);
    const now = new Date().toISOString();
    const group: AudienceGroup = {
      id: hexId(),
      name: body.name,
      description: body.description ?? "",
      created: now,
      updated: now,
    };
    await accountStub(c.env, account.cid).putGroup(group);
    return created(c, group);
  });
  app.put("/v2/segment/group/:id", async (c) => {
    const account = await accountOfCall(c);
    const rpc = accountStub(c.env, account.cid);
    const current = (await rpc.listGroups()).find((g) => g.id === c.req.param("id"));
    if (!current) throw notFound("no group with that id");
    const body = await readGroup(c);
    const group = {
      ...current,
      name: body.name,
      description: body.description ?? current.description,
      updated: new Date().toISOString(),
    };
    await rpc.putGroup(group);
    return ok(c, group);
  });
  app.openapi(
    createRoute({
      method: "delete",
      path: "/v2/segment/group/{id}",
      tags: ["Audiences"],
      summary: "Delete an audience group (its audiences stay)",
      security: tokenSecurity,
      request: { query, params: idParam },
      responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      if (!(await accountStub(c.env, account.cid).deleteGroup(c.req.valid("param").id)))
        throw notFound("no group with that id");
      return c.body(null, 204);
    },
  );

  // ---- v2 audiences ----
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment",
      tags: ["Audiences"],
      summary: "List audiences",
      security: tokenSecurity,
      request: { query },
      responses: {
        200: { description: "Audiences", content: envelope(z.array(SegmentSchema)) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      return ok(c, await withSizes(c, account.cid, await accountStub(c.env, account.cid).listAudiences()));
    },
  );
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/v2/segment",
      tags: ["Audiences"],
      summary: "Create an audience (ast or segment_ql)",
      security: tokenSecurity,
      request: { query, body: { content: { "application/json": { schema: SegmentBody } }, required: true } },
      responses: {
        201: { description: "Created", content: envelope(SegmentSchema) },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
  );
  app.post("/v2/segment", async (c) => {
    const account = await accountOfCall(c);
    const body = await parseBody(c);
    const def = definitionOf(body, body.slug_name);
    const slug = body.slug_name ?? def.alias;
    if (!slug) throw unprocessable("slug_name is required", [{ path: "slug_name", message: "required" }]);
    const saved = await saveSegment(accountStub(c.env, account.cid), { ...body, slug_name: slug, ast: def.ast }, null);
    await refreshAccount(c, account.cid);
    return created(c, (await withSizes(c, account.cid, [saved]))[0]);
  });
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/{id}",
      tags: ["Audiences"],
      summary: "An audience by id or slug, with its size",
      security: tokenSecurity,
      request: { query, params: idParam },
      responses: {
        200: { description: "The audience", content: envelope(SegmentSchema) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      return ok(c, (await withSizes(c, account.cid, [await findSegment(c, account, c.req.valid("param").id)]))[0]);
    },
  );
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "put",
      path: "/v2/segment/{id}",
      tags: ["Audiences"],
      summary: "Update an audience",
      security: tokenSecurity,
      request: {
        query,
        params: idParam,
        body: { content: { "application/json": { schema: SegmentBody } }, required: true },
      },
      responses: {
        200: { description: "Updated", content: envelope(SegmentSchema) },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
  );
  app.put("/v2/segment/:id", async (c) => {
    const account = await accountOfCall(c);
    const existing = await findSegment(c, account, c.req.param("id"));
    const body = await parseBody(c);
    const def = definitionOf(body, body.slug_name ?? existing.slug_name);
    const saved = await saveSegment(
      accountStub(c.env, account.cid),
      { ...body, slug_name: body.slug_name ?? existing.slug_name, ast: def.ast ?? existing.ast },
      existing,
    );
    if (saved.slug_name !== existing.slug_name) await dropAudience(c.env, account.cid, existing.slug_name);
    await refreshAccount(c, account.cid);
    return ok(c, (await withSizes(c, account.cid, [saved]))[0], "updated");
  });
  app.openapi(
    createRoute({
      method: "delete",
      path: "/v2/segment/{id}",
      tags: ["Audiences"],
      summary: "Delete an audience (409 when others INCLUDE it); profiles stay",
      security: tokenSecurity,
      request: { query, params: idParam },
      responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const rpc = accountStub(c.env, account.cid);
      const seg = await findSegment(c, account, c.req.valid("param").id);
      await checkDeletable(rpc, seg);
      await rpc.deleteAudience(seg.id);
      await dropAudience(c.env, account.cid, seg.slug_name);
      await refreshAccount(c, account.cid);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/segment/{id}/reevaluate",
      tags: ["Audiences"],
      summary: "Re-evaluate every profile of the account against the audiences (asynchronous job)",
      security: tokenSecurity,
      request: { query, params: idParam },
      responses: {
        202: { description: "Job started", content: envelope(JobSchema) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const seg = await findSegment(c, account, c.req.valid("param").id);
      const now = new Date().toISOString();
      const job: AudienceJob = {
        id: hexId(),
        segment_id: seg.id,
        type: "reevaluate",
        state: "queued",
        progress: { done: 0, total: null, shard: 0, changed: 0 },
        created: now,
        updated: now,
      };
      await accountStub(c.env, account.cid).startJob(job);
      return c.json({ status: 202, message: "reevaluation started", data: job }, 202);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/{id}/jobs",
      tags: ["Audiences"],
      summary: "Every job touching an audience: reevaluations (state, progress) and exports (webhook subscriptions)",
      security: tokenSecurity,
      request: { query, params: idParam },
      responses: {
        200: { description: "Jobs", content: envelope(z.array(z.union([JobSchema, ExportJobSchema]))) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const seg = await findSegment(c, account, c.req.valid("param").id);
      return ok(c, await jobsOfAudience(accountStub(c.env, account.cid), seg.id));
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/{id}/ancestors",
      tags: ["Audiences"],
      summary: "The audiences it INCLUDEs, transitively",
      security: tokenSecurity,
      request: { query, params: idParam },
      responses: {
        200: { description: "Ancestors", content: envelope(z.array(SegmentSchema)) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const rpc = accountStub(c.env, account.cid);
      const seg = await findSegment(c, account, c.req.valid("param").id);
      return ok(c, await withSizes(c, account.cid, ancestors(await rpc.listAudiences(), seg)));
    },
  );
}
