import type { Context } from "hono";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountOfCall, requireRole } from "../accounts/access/auth";
import { accountStub } from "../accounts/settings/config";
import { READ, WRITE } from "../accounts/access/roles";
import { API_BODY_LIMIT, mediaType, readText } from "../platform/http/body";
import { notFound, unsupportedType } from "../platform/http/errors";
import { errorResponses, jsonBody, jsonContent, tokenSecurity as security } from "../platform/http/openapi";
import { readJsonAs } from "../platform/http/validation";
import { jobsOfAudience } from "./job-list";
import {
  CidQuery,
  envelope,
  GroupBody,
  GroupSchema,
  IdParams,
  JobSchema,
  JobsSchema,
  SegmentBody,
  SegmentQlText,
  SegmentSchema,
} from "./schemas";
import {
  ancestorsOf,
  createAudience,
  createGroup,
  deleteAudience,
  findAudience,
  findGroup,
  listAudiences,
  startReevaluation,
  updateAudience,
  updateGroup,
  upsertFromText,
  withSizes,
} from "./service";
import { audienceInsightRoutes } from "./routes/insight";

type C = Context<AppEnv>;

const tags = ["Audiences"];
/** Reads need any role, writes admin or data_manager. */
const read = requireRole(...READ);
const write = requireRole(...WRITE);

const ok = <T>(c: C, data: T, message = "success") => c.json({ status: 200, message, data }, 200);
const created = <T>(c: C, data: T) => c.json({ status: 201, message: "created", data }, 201);

/** Segment API v1 (SegmentQL text upsert) and v2 (reference 001). */
export function audiencesRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  // ---- v1 ----
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/segment",
      tags,
      summary: "Create or update an audience from SegmentQL text, by its ALIAS",
      description:
        "Body: SegmentQL text (`Content-Type: text/plain`), e.g. `FILTER AND (visitct > 3) FROM user ALIAS engaged`. Syntax errors answer 400 naming line and column.",
      security,
      middleware: write,
      request: { query: CidQuery, body: { content: { "text/plain": { schema: SegmentQlText } }, required: true } },
      responses: {
        200: jsonContent(envelope(SegmentSchema), "Updated"),
        201: jsonContent(envelope(SegmentSchema), "Created"),
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const type = mediaType(c);
      if (type !== "text/plain" && type !== "application/x-segmentql")
        throw unsupportedType("send SegmentQL text with Content-Type text/plain");
      const { audience, created: isNew } = await upsertFromText(c.env, account.cid, await readText(c, API_BODY_LIMIT));
      return isNew ? created(c, audience) : ok(c, audience, "updated");
    },
  );

  // ---- the audience list, under v1 and v2 ----
  for (const path of ["/api/segment", "/v2/segment"] as const) {
    app.openapi(
      createRoute({
        method: "get",
        path,
        tags,
        summary: "List audiences",
        security,
        middleware: read,
        request: { query: CidQuery },
        responses: {
          200: jsonContent(envelope(z.array(SegmentSchema)), "Audiences"),
          ...errorResponses(401, 403, 404),
        },
      }),
      async (c) => ok(c, await listAudiences(c.env, (await accountOfCall(c)).cid)),
    );
  }

  // ---- v2 groups (before /v2/segment/:id) ----
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/group",
      tags,
      summary: "List audience groups",
      security,
      middleware: read,
      request: { query: CidQuery },
      responses: { 200: jsonContent(envelope(z.array(GroupSchema)), "Groups"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => ok(c, await accountStub(c.env, (await accountOfCall(c)).cid).listGroups()),
  );
  const groupBody = jsonBody(app, "SegmentGroupInput", GroupBody);
  const groupResponses = {
    200: jsonContent(envelope(GroupSchema), "The group"),
    201: jsonContent(envelope(GroupSchema), "Created"),
    ...errorResponses(400, 401, 403, 404, 415, 422),
  };
  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/segment/group",
      tags,
      summary: "Create an audience group",
      security,
      middleware: write,
      request: { query: CidQuery, body: groupBody },
      responses: groupResponses,
    }),
    async (c) => {
      const account = await accountOfCall(c);
      return created(c, await createGroup(c.env, account.cid, await readJsonAs(c, GroupBody, "group")));
    },
  );
  app.openapi(
    createRoute({
      method: "put",
      path: "/v2/segment/group/{id}",
      tags,
      summary: "Update an audience group",
      security,
      middleware: write,
      request: { query: CidQuery, params: IdParams, body: groupBody },
      responses: groupResponses,
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const current = await findGroup(c.env, account.cid, c.req.param("id"));
      return ok(c, await updateGroup(c.env, account.cid, current, await readJsonAs(c, GroupBody, "group")));
    },
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/v2/segment/group/{id}",
      tags,
      summary: "Delete an audience group (its audiences stay)",
      security,
      middleware: write,
      request: { query: CidQuery, params: IdParams },
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
  const audienceBody = jsonBody(app, "SegmentInput", SegmentBody);
  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/segment",
      tags,
      summary: "Create an audience (ast or segment_ql)",
      security,
      middleware: write,
      request: { query: CidQuery, body: audienceBody },
      responses: {
        201: jsonContent(envelope(SegmentSchema), "Created"),
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      return created(c, await createAudience(c.env, account.cid, await readJsonAs(c, SegmentBody, "audience")));
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/{id}",
      tags,
      summary: "An audience by id or slug, with its size",
      security,
      middleware: read,
      request: { query: CidQuery, params: IdParams },
      responses: { 200: jsonContent(envelope(SegmentSchema), "The audience"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOfCall(c);
      return ok(c, (await withSizes(c.env, cid, [await findAudience(c.env, cid, c.req.valid("param").id)]))[0]);
    },
  );
  app.openapi(
    createRoute({
      method: "put",
      path: "/v2/segment/{id}",
      tags,
      summary: "Update an audience",
      security,
      middleware: write,
      request: { query: CidQuery, params: IdParams, body: audienceBody },
      responses: {
        200: jsonContent(envelope(SegmentSchema), "Updated"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { cid } = await accountOfCall(c);
      const existing = await findAudience(c.env, cid, c.req.param("id"));
      const body = await readJsonAs(c, SegmentBody, "audience");
      return ok(c, await updateAudience(c.env, cid, existing, body), "updated");
    },
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/v2/segment/{id}",
      tags,
      summary: "Delete an audience (409 when others INCLUDE it); profiles stay",
      security,
      middleware: write,
      request: { query: CidQuery, params: IdParams },
      responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await deleteAudience(c.env, (await accountOfCall(c)).cid, c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/segment/{id}/reevaluate",
      tags,
      summary: "Re-evaluate every profile of the account against the audiences (asynchronous job)",
      security,
      middleware: write,
      request: { query: CidQuery, params: IdParams },
      responses: { 202: jsonContent(envelope(JobSchema), "Job started"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const job = await startReevaluation(c.env, (await accountOfCall(c)).cid, c.req.valid("param").id);
      return c.json({ status: 202, message: "reevaluation started", data: job }, 202);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/{id}/jobs",
      tags,
      summary: "Every job touching an audience: reevaluations (state, progress) and exports (webhook subscriptions)",
      security,
      middleware: read,
      request: { query: CidQuery, params: IdParams },
      responses: { 200: jsonContent(envelope(JobsSchema), "Jobs"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOfCall(c);
      const seg = await findAudience(c.env, cid, c.req.valid("param").id);
      return ok(c, await jobsOfAudience(accountStub(c.env, cid), seg.id));
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/{id}/ancestors",
      tags,
      summary: "The audiences it INCLUDEs, transitively",
      security,
      middleware: read,
      request: { query: CidQuery, params: IdParams },
      responses: { 200: jsonContent(envelope(z.array(SegmentSchema)), "Ancestors"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => ok(c, await ancestorsOf(c.env, (await accountOfCall(c)).cid, c.req.valid("param").id)),
  );
  app.route("/", audienceInsightRoutes()); // validation, member preview, size history (the console)
  return app;
}
