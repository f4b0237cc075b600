/** Content settings and saved content audiences. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall } from "../../accounts/access/auth";
import { readJson } from "../../platform/http/body";
import { notFound } from "../../platform/http/errors";
import { errorResponses, jsonBody, jsonContent as json } from "../../platform/http/openapi";
import {
  AudienceInputSchema,
  AudienceParams,
  AudienceSchema,
  CidQuery,
  envelope,
  SettingsPatchSchema,
  SettingsSchema,
} from "../schemas";
import { zodProblems } from "../documents/input";
import { refuse } from "../service";
import { contentStub } from "../stubs";
import { contentChanged } from "../views/collect-hook";
import { read, security, success, tags, write } from "./access";

/** Adds the settings and content audience operations to the content sub-app. */
export function addSettingsRoutes(app: OpenAPIHono<AppEnv>): void {
  // ---- settings ----
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/settings",
      tags,
      summary: "Content settings: which hosts and paths are content, query parameters stripped",
      security,
      middleware: read,
      request: { query: CidQuery },
      responses: { 200: json(SettingsSchema, "Settings"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      return c.json(await contentStub(c.env, account.cid).settings(), 200);
    },
  );
  app.openapi(
    createRoute({
      method: "put",
      path: "/api/content/settings",
      tags,
      summary: "Change content settings (given keys replace)",
      description:
        "`hosts` (empty: the account's domain allowlist), `paths` and `exclude_paths` (`*` wildcard), `strip_params` (besides `utm_*`; `*` drops the whole query), `trailing_slash` (`strip` or `keep`).",
      security,
      middleware: write,
      request: { query: CidQuery, body: jsonBody(app, "ContentSettingsPatch", SettingsPatchSchema, {}) },
      responses: { 200: json(SettingsSchema, "Settings"), ...errorResponses(400, 401, 403, 404, 415) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const parsed = SettingsPatchSchema.strict().safeParse(await readJson(c));
      if (!parsed.success) refuse(400, "the settings are not valid", zodProblems(parsed.error));
      const settings = await contentStub(c.env, account.cid).updateSettings(parsed.data);
      contentChanged(account.cid);
      return c.json(settings, 200);
    },
  );

  // ---- content audiences ----
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/segment",
      tags,
      summary: "Saved content audiences",
      security,
      middleware: read,
      request: { query: CidQuery },
      responses: { 200: json(envelope(200, AudienceSchema.array()), "List"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      return success(c, await contentStub(c.env, account.cid).audiences());
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/content/segment",
      tags,
      summary: "Save a content audience",
      description:
        'Body `{segment_ql}`: a SegmentQL filter on the content table with an ALIAS, e.g. `FILTER url LIKE "*/blog/*" FROM content ALIAS blog`; its slug is the ALIAS, usable as `contentsegment` (Pathfora\'s `collection`). Saving the same slug replaces it.',
      security,
      middleware: write,
      request: { query: CidQuery, body: jsonBody(app, "ContentAudienceInput", AudienceInputSchema, {}) },
      responses: { 201: json(AudienceSchema, "Saved"), ...errorResponses(400, 401, 403, 404, 415) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const parsed = AudienceInputSchema.strict().safeParse(await readJson(c));
      if (!parsed.success) refuse(400, "the audience is not valid", zodProblems(parsed.error));
      const saved = await contentStub(c.env, account.cid).saveAudience(parsed.data.segment_ql);
      if (!saved.ok) refuse(400, "the audience is not valid", saved.problems);
      return c.json(saved.audience, 201);
    },
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/content/segment/{slug}",
      tags,
      summary: "Delete a content audience",
      security,
      middleware: write,
      request: { params: AudienceParams, query: CidQuery },
      responses: { 200: json(AudienceSchema.pick({ slug: true }), "Deleted"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const slug = c.req.param("slug");
      if (!(await contentStub(c.env, account.cid).deleteAudience(slug)))
        throw notFound(`no content audience "${slug}"`);
      return c.json({ slug }, 200);
    },
  );
}
