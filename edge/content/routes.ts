/**
 * Content API: documents (`/api/content/doc`), CSV import, settings, saved
 * content audiences (token, like every management route) and the
 * Lytics-compatible recommendation API (browser and token variants).
 */
import type { Context } from "hono";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountOfCall, requireRole } from "../accounts/auth";
import { browserGuard, browserPreflight } from "../accounts/browser-guard";
import { READ, WRITE } from "../accounts/roles";
import { mediaType, readJson, readText } from "../platform/http/body";
import { badRequest, forbidden, notFound } from "../platform/http/errors";
import { errorResponses, jsonBody, jsonContent as json, preflightRoute, tokenSecurity } from "../platform/http/openapi";
import {
  AudienceInputSchema,
  AudienceParams,
  AudienceSchema,
  BrowserRecommendParams,
  CidQuery,
  DeletedSchema,
  DocumentDeleteQuery,
  DocumentDeleteSchema,
  DocumentPageSchema,
  DocumentPatchWriteSchema,
  DocumentQuery,
  DocumentSchema,
  DocumentWriteSchema,
  envelope,
  ImportSchema,
  RecommendationsSchema,
  RecommendParams,
  RecommendQuery,
  SettingsPatchSchema,
  SettingsSchema,
  zodProblems,
} from "./schemas";
import { importCsv, recommend, refuse } from "./service";
import { contentStub } from "./stubs";

type C = Context<AppEnv>;

/** Largest CSV file imported in one request (bytes). */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;
/** Largest JSON body of a document write (bytes): 1,000 documents of a few KiB. */
export const MAX_DOC_BODY = 8 * 1024 * 1024;
/** Page size of document lists (default and maximum). */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;

const tags = ["Content"];
const security = tokenSecurity;
/** Reads need any role, writes admin or data_manager. */
const read = requireRole(...READ);
const write = requireRole(...WRITE);

/** `{status: 200, message: "success", data}`. */
const success = <T>(c: C, data: T) => c.json({ status: 200 as const, message: "success", data }, 200);

/**
 * The page a browser asks from (its `Referer`, scheme-less, without query
 * and fragment), when it names a path: with `visited=false` that page is
 * never recommended to itself, even before its own page view is recorded.
 */
function askingPage(c: C): string | null {
  const referer = c.req.header("referer");
  if (!referer) return null;
  try {
    const u = new URL(referer);
    if (u.pathname === "/" || !/^https?:$/.test(u.protocol)) return null;
    return `${u.host}${u.pathname.replace(/\/+$/, "")}`.replace(/\*/g, "");
  } catch {
    return null;
  }
}

/** `_uids` (Pathfora's request shape) means the cookie id, as `_uid` does. */
const idField = (field: string): string => (field === "_uids" ? "_uid" : field);

/** The content sub-app: the content API (token) and the recommendation API (browser and token). */
export function contentRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  // ---- recommendations ----
  app.openapi(preflightRoute("/api/content/recommend/{cid}/user/{field}/{value}"), browserPreflight);
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/recommend/{cid}/user/{field}/{value}",
      tags,
      summary: "Recommended documents for a visitor (browser)",
      description:
        "Browser endpoint: no token; calls from other origins must come from a domain on the account's allowlist. `field` is `_uid` (or `_uids`, as Pathfora sends it) with the visitor's cookie id, or a field the account lists in `personalize_fields`. Ranked by topic affinity (default), popularity or recency; see the README. With `visited=false` the page named by the request's `Referer` is left out too (its own page view may not be recorded yet). Limit: the account's `rate_limit_per_second` (default 250) across isolates, 429 with `Retry-After` past it.",
      middleware: browserGuard(),
      request: { params: BrowserRecommendParams, query: RecommendQuery },
      responses: {
        200: json(RecommendationsSchema, "Recommended documents, best first"),
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      const account = c.get("account");
      const field = idField(c.req.param("field"));
      if (field !== "_uid" && !account.personalize_fields.includes(field))
        throw forbidden(
          `looking visitors up by "${field}" is not enabled for this account (setting personalize_fields)`,
        );
      const params = new URL(c.req.url).searchParams;
      const data = await recommend(c.env, account, field, c.req.param("value"), params, (visited) =>
        visited ? null : askingPage(c),
      );
      c.header("Cache-Control", "no-store");
      return c.json({ data }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/recommend/user/{field}/{value}",
      tags,
      summary: "Recommended documents for a profile (token)",
      description:
        "Server variant (e.g. an Iterable data feed): any role. `field` is any identifier field (`_uid`, `email`, ...). Same parameters, ranking, response and rate limit as the browser variant.",
      security,
      middleware: read,
      request: { params: RecommendParams, query: RecommendQuery },
      responses: {
        200: json(RecommendationsSchema, "Recommended documents, best first"),
        ...errorResponses(400, 401, 403, 404, 429),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const params = new URL(c.req.url).searchParams;
      const data = await recommend(
        c.env,
        account,
        idField(c.req.param("field")),
        c.req.param("value"),
        params,
        () => null,
      );
      c.header("Cache-Control", "no-store");
      return c.json({ data }, 200);
    },
  );

  // ---- documents ----
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/doc",
      tags,
      summary: "One document (`url`) or a page of documents",
      description:
        "With `url`: that document (404 when unknown). Otherwise a page ordered by URL: `filter` (SegmentQL on the content table or a content audience slug), `q` (text in url, title or description), `limit` (default 100, at most 1,000) and `offset`.",
      security,
      middleware: read,
      request: { query: DocumentQuery },
      responses: { 200: json(DocumentPageSchema, "The document or the page"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const stub = contentStub(c.env, account.cid);
      const url = c.req.query("url");
      if (url !== undefined) {
        const doc = await stub.getDocument(url);
        if (!doc) throw notFound(`no document ${url}`);
        return success(c, doc);
      }
      const int = (name: string, fallback: number, max: number): number => {
        const v = c.req.query(name);
        if (v === undefined || v === "") return fallback;
        if (!/^\d{1,7}$/.test(v) || Number(v) > max)
          throw badRequest(`${name} is not valid`, [{ path: name, message: `expected an integer from 0 to ${max}` }]);
        return Number(v);
      };
      const limit = Math.max(1, int("limit", PAGE_DEFAULT, PAGE_MAX));
      const page = await stub.listDocuments({
        filter: c.req.query("filter") || undefined,
        q: c.req.query("q") || undefined,
        offset: int("offset", 0, 10_000_000),
        limit,
      });
      if ("ok" in page) refuse(page.status, "the filter is not valid", page.problems);
      return c.json(
        { status: 200 as const, message: "success", data: page.docs, total: page.total, next: page.next },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/content/doc",
      tags,
      summary: "Create or replace documents (JSON, up to 1,000), or import a CSV file",
      description:
        "JSON: one document, an array, or `{documents: [...]}` (at most 1,000), keyed by canonical URL; all or nothing (400 naming each problem). Giving `topics` sets them by hand (extraction never overwrites them). `Content-Type: text/csv`: a CSV file (at most 10 MiB) with a header naming url, title, description, image, author, published, keywords, topics (or their aliases); it is staged in R2, and each bad line is reported with its number and skipped.",
      security,
      middleware: write,
      request: { body: jsonBody(app, "ContentDocumentWrite", DocumentWriteSchema, {}) },
      responses: {
        201: json(envelope(201, DocumentSchema.array()), "Documents stored"),
        200: json(envelope(200, ImportSchema), "CSV import report"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      if (mediaType(c) === "text/csv") {
        const report = await importCsv(c.env, account.cid, await readText(c, MAX_CSV_BYTES));
        return c.json({ status: 200 as const, message: "imported", data: report }, 200);
      }
      const body = await readJson(c, MAX_DOC_BODY);
      const written = await contentStub(c.env, account.cid).putDocuments(Array.isArray(body) ? body : [body], "api");
      if (!written.ok) refuse(written.status, "the documents are not valid; nothing was stored", written.problems);
      return c.json({ status: 201 as const, message: "success", data: written.docs }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/content/doc",
      tags,
      summary: "Update documents (up to 1,000)",
      description:
        "Given fields replace the stored ones, `null` clears one, `topics: null` returns to extracted topics. All or nothing; 404 names unknown URLs.",
      security,
      middleware: write,
      request: { body: jsonBody(app, "ContentDocumentPatchWrite", DocumentPatchWriteSchema, {}) },
      responses: {
        200: json(envelope(200, DocumentSchema.array()), "Updated"),
        ...errorResponses(400, 401, 403, 404, 415),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const body = await readJson(c, MAX_DOC_BODY);
      const written = await contentStub(c.env, account.cid).patchDocuments(Array.isArray(body) ? body : [body]);
      if (!written.ok) refuse(written.status, "the changes are not valid; nothing was changed", written.problems);
      return success(c, written.docs);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/content/doc",
      tags,
      summary: "Delete documents",
      description: "`?url=` for one, or a body `{urls: [...]}` (at most 1,000). 404 when none of them exists.",
      security,
      middleware: write,
      request: {
        query: DocumentDeleteQuery,
        body: jsonBody(app, "ContentDocumentDelete", DocumentDeleteSchema, { required: false }),
      },
      responses: { 200: json(DeletedSchema, "Deleted"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      let urls: string[];
      const one = c.req.query("url");
      if (one) urls = [one];
      else {
        const parsed = DocumentDeleteSchema.safeParse(await readJson(c));
        if (!parsed.success) refuse(400, "the body is not valid", zodProblems(parsed.error));
        urls = parsed.data.urls;
      }
      const result = await contentStub(c.env, account.cid).deleteDocuments(urls);
      if (!result.deleted.length) throw notFound(`no document ${result.missing.join(", ")}`);
      return success(c, result);
    },
  );

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
      return c.json(await contentStub(c.env, account.cid).updateSettings(parsed.data), 200);
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
  return app;
}
