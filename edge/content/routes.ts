/**
 * Content API: documents (`/api/content/doc`), CSV import, settings, saved
 * content audiences (token, like every management route) and the
 * Lytics-compatible recommendation API (browser and token variants).
 */
import type { Context } from "hono";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { accountOfCall, requireRole } from "../accounts/auth";
import { requireAccount, type AccountConfig } from "../accounts/config";
import { applyBrowserCors, preflight } from "../accounts/browser-guard";
import { READ, WRITE } from "../accounts/roles";
import { normalizeIdentifier } from "../identity/identifiers";
import { findProfile } from "../profiles/service";
import { mediaType, readJson, readText } from "../platform/http/body";
import { ApiError, badRequest, forbidden, notFound } from "../platform/http/errors";
import { errorResponses, tokenSecurity } from "../platform/http/openapi";
import { randomBytes, toHex } from "../platform/encoding";
import { spendRecommendation } from "./budget";
import type { ContentProblem } from "./contract";
import { parseRecommendQuery } from "./recommend";
import { DocumentDeleteSchema, DocumentInputSchema, DocumentPatchSchema, MAX_BATCH, zodProblems } from "./schemas";
import { contentStub } from "./stubs";

type C = Context<AppEnv>;

/** Largest CSV file imported in one request (bytes). */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;
/** Largest JSON body of a document write (bytes): 1,000 documents of a few KiB. */
export const MAX_DOC_BODY = 8 * 1024 * 1024;
/** Page size of document lists (default and maximum). */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;

// ---- OpenAPI shapes ----

const DocumentSchema = z
  .object({
    url: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    primary_image: z.string().optional(),
    author: z.string().optional(),
    published: z.string().optional(),
    keywords: z.array(z.string()),
    topics: z.record(z.string(), z.number()),
    manual_topics: z.boolean(),
    views: z.number().int(),
    unique_visitors: z.number().int(),
    created: z.string(),
    updated: z.string(),
    last_viewed: z.string().optional(),
    source: z.enum(["api", "import", "discovery"]),
  })
  .openapi("ContentDocument");
const SettingsSchema = z
  .object({
    hosts: z.array(z.string().min(1).max(253)).max(100),
    paths: z.array(z.string().min(1).max(512)).max(100),
    exclude_paths: z.array(z.string().min(1).max(512)).max(100),
    strip_params: z.array(z.string().min(1).max(128)).max(100),
    trailing_slash: z.enum(["strip", "keep"]),
  })
  .openapi("ContentSettings");
const AudienceSchema = z.object({ slug: z.string(), segment_ql: z.string() }).openapi("ContentAudience");
const ItemSchema = z
  .object({
    url: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    primary_image: z.string().optional(),
    author: z.string().optional(),
    created: z.string(),
    confidence: z.number(),
    visited: z.boolean(),
  })
  .openapi("RecommendedDocument");
const ImportSchema = z
  .object({
    rowsOk: z.number().int(),
    rowsFailed: z.number().int(),
    errors: z.array(z.object({ line: z.number().int(), path: z.string().optional(), message: z.string() })),
    ignoredColumns: z.array(z.string()),
  })
  .openapi("ContentImport");
const RecommendQuery = z.object({
  limit: z.string().optional().openapi({ description: "1–50 (default 10)" }),
  rank: z.enum(["affinity", "popular", "recent"]).optional(),
  visited: z.string().optional().openapi({ description: "true: include documents the visitor saw (default false)" }),
  shuffle: z.string().optional(),
  contentsegment: z
    .string()
    .optional()
    .openapi({ description: "SegmentQL filter on the content table, or a saved content audience slug" }),
  ql: z.string().optional(),
  "topics[]": z.string().optional(),
  url: z.string().optional().openapi({ description: "URL pattern to include (`*` wildcard), repeatable" }),
  exclude_url: z.string().optional().openapi({ description: "URL pattern to exclude, repeatable" }),
});

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

// ---- helpers ----

function refuse(status: 400 | 404 | 409, message: string, problems: ContentProblem[]): never {
  throw new ApiError(status, message, problems);
}

const docsBody = (c: C, data: unknown, status: 200 | 201 = 200) => c.json({ status, message: "success", data }, status);

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

async function recommendFor(c: C, account: AccountConfig, field: string, raw: string, browser: boolean) {
  await spendRecommendation(c.env, account.cid, account.rate_limit_per_second);
  const parsed = parseRecommendQuery(new URL(c.req.url).searchParams);
  if (!parsed.ok) refuse(parsed.status, "the recommendation parameters are not valid", parsed.problems);
  const page = browser && !parsed.value.visited ? askingPage(c) : null;
  if (page) parsed.value.exclude.push(page);
  const value = normalizeIdentifier(field, raw, account);
  const profile = value === null ? null : await findProfile(c.env, account, { field, value });
  const answer = await contentStub(c.env, account.cid).recommend(parsed.value, profile?.content);
  if (!answer.ok) refuse(answer.status, "the content filter is not valid", answer.problems);
  c.header("Cache-Control", "no-store");
  return c.json({ data: answer.data }, 200);
}

/** `_uids` (Pathfora's request shape) means the cookie id, as `_uid` does. */
const idField = (field: string): string => (field === "_uids" ? "_uid" : field);

// ---- routes ----

/** The content API and the recommendation API. */
export function registerContent(app: OpenAPIHono<AppEnv>): void {
  const tags = ["Content"];
  const security = tokenSecurity;
  const register = (route: Parameters<typeof createRoute>[0]) =>
    app.openAPIRegistry.registerPath(createRoute({ tags, ...route }));
  const browserRecommend = /^\/api\/content\/recommend\/[^/]+\/user\/[^/]+\/[^/]+$/;

  // Every content route but the browser recommendation needs a token: reads any role, writes admin or data_manager.
  app.use("/api/content/*", async (c, next) => {
    if (browserRecommend.test(c.req.path)) return next();
    return requireRole(...(c.req.method === "GET" || c.req.method === "HEAD" ? READ : WRITE))(c, next);
  });

  // ---- recommendations ----
  register({
    method: "get",
    path: "/api/content/recommend/{cid}/user/{field}/{value}",
    summary: "Recommended documents for a visitor (browser)",
    description:
      "Browser endpoint: no token; calls from other origins must come from a domain on the account's allowlist. `field` is `_uid` (or `_uids`, as Pathfora sends it) with the visitor's cookie id, or a field the account lists in `personalize_fields`. Ranked by topic affinity (default), popularity or recency; see the README. With `visited=false` the page named by the request's `Referer` is left out too (its own page view may not be recorded yet). Limit: the account's `rate_limit_per_second` (default 250) across isolates, 429 with `Retry-After` past it.",
    request: {
      params: z.object({ cid: z.string(), field: z.string(), value: z.string() }),
      query: RecommendQuery,
    },
    responses: {
      200: json(z.object({ data: z.array(ItemSchema) }), "Recommended documents, best first"),
      ...errorResponses(400, 403, 404, 429),
    },
  });
  app.options("/api/content/recommend/:cid/user/:field/:value", async (c) =>
    preflight(c, await requireAccount(c.env, c.req.param("cid"))),
  );
  app.get("/api/content/recommend/:cid/user/:field/:value", async (c) => {
    const account = await requireAccount(c.env, c.req.param("cid"));
    applyBrowserCors(c, account);
    const field = idField(c.req.param("field"));
    if (field !== "_uid" && !account.personalize_fields.includes(field))
      throw forbidden(`looking visitors up by "${field}" is not enabled for this account (setting personalize_fields)`);
    return recommendFor(c, account, field, c.req.param("value"), true);
  });

  register({
    method: "get",
    path: "/api/content/recommend/user/{field}/{value}",
    summary: "Recommended documents for a profile (token)",
    description:
      "Server variant (e.g. an Iterable data feed): any role. `field` is any identifier field (`_uid`, `email`, ...). Same parameters, ranking, response and rate limit as the browser variant.",
    security,
    request: { params: z.object({ field: z.string(), value: z.string() }), query: RecommendQuery },
    responses: {
      200: json(z.object({ data: z.array(ItemSchema) }), "Recommended documents, best first"),
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  app.get("/api/content/recommend/user/:field/:value", async (c) => {
    const account = await accountOfCall(c);
    return recommendFor(c, account, idField(c.req.param("field")), c.req.param("value"), false);
  });

  // ---- documents ----
  const docRequest = (schema: z.ZodTypeAny) => ({
    body: {
      content: {
        "application/json": {
          schema: z.union([schema, z.array(schema).max(MAX_BATCH), z.object({ documents: z.array(schema) })]),
        },
      },
    },
  });
  register({
    method: "get",
    path: "/api/content/doc",
    summary: "One document (`url`) or a page of documents",
    description:
      "With `url`: that document (404 when unknown). Otherwise a page ordered by URL: `filter` (SegmentQL on the content table or a content audience slug), `q` (text in url, title or description), `limit` (default 100, at most 1,000) and `offset`.",
    security,
    request: {
      query: z.object({
        cid: z.string().optional(),
        url: z.string().optional(),
        filter: z.string().optional(),
        q: z.string().optional(),
        limit: z.string().optional(),
        offset: z.string().optional(),
      }),
    },
    responses: {
      200: json(
        z.object({
          status: z.literal(200),
          message: z.string(),
          data: z.union([DocumentSchema, z.array(DocumentSchema)]),
          total: z.number().int().optional(),
          next: z.number().int().nullable().optional(),
        }),
        "The document or the page",
      ),
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.get("/api/content/doc", async (c) => {
    const account = await accountOfCall(c);
    const stub = contentStub(c.env, account.cid);
    const url = c.req.query("url");
    if (url !== undefined) {
      const doc = await stub.getDocument(url);
      if (!doc) throw notFound(`no document ${url}`);
      return docsBody(c, doc);
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
    return c.json({ status: 200 as const, message: "success", data: page.docs, total: page.total, next: page.next });
  });

  register({
    method: "post",
    path: "/api/content/doc",
    summary: "Create or replace documents (JSON, up to 1,000), or import a CSV file",
    description:
      "JSON: one document, an array, or `{documents: [...]}` (at most 1,000), keyed by canonical URL; all or nothing (400 naming each problem). Giving `topics` sets them by hand (extraction never overwrites them). `Content-Type: text/csv`: a CSV file (at most 10 MiB) with a header naming url, title, description, image, author, published, keywords, topics (or their aliases); it is staged in R2, and each bad line is reported with its number and skipped.",
    security,
    request: {
      ...docRequest(DocumentInputSchema),
    },
    responses: {
      201: json(
        z.object({ status: z.literal(201), message: z.string(), data: z.array(DocumentSchema) }),
        "Documents stored",
      ),
      200: json(z.object({ status: z.literal(200), message: z.string(), data: ImportSchema }), "CSV import report"),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415),
    },
  });
  app.post("/api/content/doc", async (c) => {
    const account = await accountOfCall(c);
    const stub = contentStub(c.env, account.cid);
    if (mediaType(c) === "text/csv") {
      const text = await readText(c, MAX_CSV_BYTES);
      const key = `content/${account.cid}/${Date.now()}-${toHex(randomBytes(8))}.csv`;
      await c.env.UPLOADS.put(key, text);
      const result = await stub.importCsv(key);
      if (!result.ok) {
        await c.env.UPLOADS.delete(key);
        refuse(400, "the CSV file cannot be imported", result.problems);
      }
      return c.json({ status: 200 as const, message: "imported", data: result.report }, 200);
    }
    const body = await readJson(c, MAX_DOC_BODY);
    const list = Array.isArray(body) ? body : [body];
    const written = await stub.putDocuments(list, "api");
    if (!written.ok) refuse(written.status, "the documents are not valid; nothing was stored", written.problems);
    return docsBody(c, written.docs, 201);
  });

  register({
    method: "patch",
    path: "/api/content/doc",
    summary: "Update documents (up to 1,000)",
    description:
      "Given fields replace the stored ones, `null` clears one, `topics: null` returns to extracted topics. All or nothing; 404 names unknown URLs.",
    security,
    request: docRequest(DocumentPatchSchema),
    responses: {
      200: json(z.object({ status: z.literal(200), message: z.string(), data: z.array(DocumentSchema) }), "Updated"),
      ...errorResponses(400, 401, 403, 404, 415),
    },
  });
  app.patch("/api/content/doc", async (c) => {
    const account = await accountOfCall(c);
    const body = await readJson(c, MAX_DOC_BODY);
    const written = await contentStub(c.env, account.cid).patchDocuments(Array.isArray(body) ? body : [body]);
    if (!written.ok) refuse(written.status, "the changes are not valid; nothing was changed", written.problems);
    return docsBody(c, written.docs);
  });

  register({
    method: "delete",
    path: "/api/content/doc",
    summary: "Delete documents",
    description: "`?url=` for one, or a body `{urls: [...]}` (at most 1,000). 404 when none of them exists.",
    security,
    request: {
      query: z.object({ cid: z.string().optional(), url: z.string().optional() }),
      body: { content: { "application/json": { schema: DocumentDeleteSchema } }, required: false },
    },
    responses: {
      200: json(
        z.object({
          status: z.literal(200),
          message: z.string(),
          data: z.object({ deleted: z.array(z.string()), missing: z.array(z.string()) }),
        }),
        "Deleted",
      ),
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.delete("/api/content/doc", async (c) => {
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
    return docsBody(c, result);
  });

  // ---- settings ----
  register({
    method: "get",
    path: "/api/content/settings",
    summary: "Content settings: which hosts and paths are content, query parameters stripped",
    security,
    request: { query: z.object({ cid: z.string().optional() }) },
    responses: { 200: json(SettingsSchema, "Settings"), ...errorResponses(401, 403, 404) },
  });
  app.get("/api/content/settings", async (c) => {
    const account = await accountOfCall(c);
    return c.json(await contentStub(c.env, account.cid).settings(), 200);
  });
  register({
    method: "put",
    path: "/api/content/settings",
    summary: "Change content settings (given keys replace)",
    description:
      "`hosts` (empty: the account's domain allowlist), `paths` and `exclude_paths` (`*` wildcard), `strip_params` (besides `utm_*`; `*` drops the whole query), `trailing_slash` (`strip` or `keep`).",
    security,
    request: {
      query: z.object({ cid: z.string().optional() }),
      body: { content: { "application/json": { schema: SettingsSchema.partial() } } },
    },
    responses: { 200: json(SettingsSchema, "Settings"), ...errorResponses(400, 401, 403, 404, 415) },
  });
  app.put("/api/content/settings", async (c) => {
    const account = await accountOfCall(c);
    const parsed = SettingsSchema.partial()
      .strict()
      .safeParse(await readJson(c));
    if (!parsed.success) refuse(400, "the settings are not valid", zodProblems(parsed.error));
    return c.json(await contentStub(c.env, account.cid).updateSettings(parsed.data), 200);
  });

  // ---- content audiences ----
  register({
    method: "get",
    path: "/api/content/segment",
    summary: "Saved content audiences",
    security,
    request: { query: z.object({ cid: z.string().optional() }) },
    responses: {
      200: json(z.object({ status: z.literal(200), message: z.string(), data: z.array(AudienceSchema) }), "List"),
      ...errorResponses(401, 403, 404),
    },
  });
  app.get("/api/content/segment", async (c) => {
    const account = await accountOfCall(c);
    return docsBody(c, await contentStub(c.env, account.cid).audiences());
  });
  register({
    method: "post",
    path: "/api/content/segment",
    summary: "Save a content audience",
    description:
      'Body `{segment_ql}`: a SegmentQL filter on the content table with an ALIAS, e.g. `FILTER url LIKE "*/blog/*" FROM content ALIAS blog`; its slug is the ALIAS, usable as `contentsegment` (Pathfora\'s `collection`). Saving the same slug replaces it.',
    security,
    request: {
      query: z.object({ cid: z.string().optional() }),
      body: { content: { "application/json": { schema: z.object({ segment_ql: z.string().min(1).max(4000) }) } } },
    },
    responses: { 201: json(AudienceSchema, "Saved"), ...errorResponses(400, 401, 403, 404, 415) },
  });
  app.post("/api/content/segment", async (c) => {
    const account = await accountOfCall(c);
    const parsed = z
      .object({ segment_ql: z.string().min(1).max(4000) })
      .strict()
      .safeParse(await readJson(c));
    if (!parsed.success) refuse(400, "the audience is not valid", zodProblems(parsed.error));
    const saved = await contentStub(c.env, account.cid).saveAudience(parsed.data.segment_ql);
    if (!saved.ok) refuse(400, "the audience is not valid", saved.problems);
    return c.json(saved.audience, 201);
  });
  register({
    method: "delete",
    path: "/api/content/segment/{slug}",
    summary: "Delete a content audience",
    security,
    request: { params: z.object({ slug: z.string() }), query: z.object({ cid: z.string().optional() }) },
    responses: { 200: json(AudienceSchema.pick({ slug: true }), "Deleted"), ...errorResponses(401, 403, 404) },
  });
  app.delete("/api/content/segment/:slug", async (c) => {
    const account = await accountOfCall(c);
    const slug = c.req.param("slug");
    if (!(await contentStub(c.env, account.cid).deleteAudience(slug))) throw notFound(`no content audience "${slug}"`);
    return c.json({ slug }, 200);
  });
}
