import type { Context } from "hono";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { findAccount } from "../accounts/config";
import { accountOfCall, refuseAttributeLimited, requireRole } from "../accounts/auth";
import { READ, WRITE } from "../accounts/roles";
import { mediaType, readJson } from "../platform/http/body";
import { collectionStub, registryStub } from "./stubs";
import type { UploadJob } from "./csv-job";
import { EventInputSchema } from "./events";
import { targetOf } from "./ingest";
import { CollectionCreateSchema, CollectionUpdateSchema, PAGE_DEFAULT, PAGE_MAX, type CollectionDef } from "./model";
import type { StoredRow } from "./contract";
import {
  eventMatches,
  ingestBatches,
  resolveCollection,
  rowsOfBody,
  sourceBatches,
  unwrap,
  type IngestSummary,
} from "./service";
import { ApiError, badRequest, notFound, tooLarge, unprocessable } from "../platform/http/errors";
import { PREFIX_HEADER } from "../platform/http/prefix";
import { errorResponses, tokenSecurity } from "../platform/http/openapi";
import {
  collectionOfUpload,
  hashUploadToken,
  MAX_UPLOAD_BYTES,
  newUploadId,
  newUploadToken,
  UPLOAD_TTL_MS,
  uploadObjectKey,
  uploadUrl,
} from "./uploads";
import { zodErrors } from "../platform/http/validation";

type C = Context<AppEnv>;

// ---- OpenAPI shapes ----

const Link = z.object({ href: z.string() });
const CollectionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    source: z.string(),
    description: z.string().nullable(),
    schema: z.record(z.string(), z.unknown()),
    primaryKey: z.string().nullable(),
    foreignKeys: z.array(
      z.object({
        field: z.string(),
        collection: z.string(),
        collectionName: z.string(),
        relation: z.string().nullable(),
      }),
    ),
    profileIdentifier: z.string().nullable(),
    userIdentifiers: z.array(z.string()),
    userAttributes: z.array(z.string()).nullable(),
    version: z.number().int(),
    created: z.string(),
    updated: z.string(),
    rows: z.number().int().optional(),
    _links: z.object({ self: Link, data: Link }),
  })
  .openapi("Collection");
const DataItemSchema = z
  .object({
    collId: z.string(),
    id: z.string(),
    data: z.record(z.string(), z.unknown()),
    matches: z.array(z.string()),
    created: z.string(),
    updated: z.string(),
    _links: z.object({ self: Link }),
  })
  .openapi("DataItem");
const IngestResultSchema = z
  .object({
    status: z.literal(201),
    message: z.string(),
    data: z.array(
      z.object({
        collection: z.string(),
        collId: z.string(),
        received: z.number(),
        created: z.number(),
        updated: z.number(),
        items: z.array(z.object({ id: z.string(), matches: z.array(z.string()) })),
        profilesPending: z.boolean(),
      }),
    ),
  })
  .openapi("IngestResult");
const UploadSchema = z
  .object({
    id: z.string(),
    collId: z.string(),
    state: z.enum(["awaiting_upload", "receiving", "queued", "processing", "done", "failed"]),
    size: z.number(),
    bytesProcessed: z.number(),
    rowsOk: z.number(),
    rowsFailed: z.number(),
    errors: z.array(z.object({ line: z.number(), path: z.string().optional(), message: z.string() })),
    errorsTotal: z.number(),
    errorsTruncated: z.boolean(),
    ignoredColumns: z.array(z.string()),
    message: z.string().nullable(),
    created: z.string(),
    expires: z.string(),
    started: z.string().nullable(),
    finished: z.string().nullable(),
    _links: z.object({ self: Link }),
  })
  .openapi("Upload");
const EventSchema = z
  .object({
    name: z.string(),
    collection: z.string(),
    description: z.string().nullable(),
    filter: z.array(z.array(z.object({ field: z.string(), operator: z.string(), value: z.unknown().optional() }))),
    created: z.string(),
    updated: z.string(),
  })
  .openapi("Event");
const MatchesSchema = z
  .object({
    masterId: z.string(),
    profileIds: z.array(z.string()),
    matchedEvents: z.array(z.string()),
    lastUpdated: z.string().nullable(),
    _links: z.object({ self: Link }),
  })
  .openapi("EventMatches");

const org = z.string().openapi({ description: "Account id (cid)" });
const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

// ---- response helpers ----

/** The worker's external base URL (origin plus any first-party path prefix). */
const baseOf = (c: C) => `${new URL(c.req.url).origin}${c.req.header(PREFIX_HEADER) ?? ""}`;
const collectionsUrl = (c: C, cid: string) => `${baseOf(c)}/v1/${encodeURIComponent(cid)}/collections`;

function collectionView(c: C, cid: string, def: CollectionDef, rows?: number) {
  const self = `${collectionsUrl(c, cid)}/${def.id}`;
  return {
    ...def,
    ...(rows !== undefined ? { rows } : {}),
    _links: { self: { href: self }, data: { href: `${self}/data` } },
  };
}

function itemView(c: C, cid: string, collId: string, row: StoredRow) {
  return {
    collId,
    id: row.key,
    data: row.data,
    matches: row.matches,
    created: row.created,
    updated: row.updated,
    _links: { self: { href: `${collectionsUrl(c, cid)}/${collId}/data/${encodeURIComponent(row.key)}` } },
  };
}

function uploadView(c: C, cid: string, job: UploadJob) {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: job.id,
    collId: job.collection,
    state: job.state,
    size: job.size,
    bytesProcessed: job.offset,
    rowsOk: job.rowsOk,
    rowsFailed: job.rowsFailed,
    errors: job.errors,
    errorsTotal: job.errorsTotal,
    errorsTruncated: job.errorsTotal > job.errors.length,
    ignoredColumns: job.ignoredColumns,
    message: job.message,
    created: iso(job.created)!,
    expires: iso(job.expires)!,
    started: iso(job.started),
    finished: iso(job.finished),
    _links: { self: { href: `${baseOf(c)}/v1/${encodeURIComponent(cid)}/uploads/${job.id}` } },
  };
}

function ingested(c: C, summaries: IngestSummary[]) {
  const rows = summaries.reduce((n, s) => n + s.received, 0);
  return c.json({ status: 201 as const, message: `stored ${rows} row${rows === 1 ? "" : "s"}`, data: summaries }, 201);
}

async function parsedBody<T extends z.ZodTypeAny>(c: C, schema: T, what: string): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await readJson(c));
  if (!parsed.success) throw unprocessable(`the ${what} is not valid`, zodErrors(parsed.error));
  return parsed.data;
}

const account = (c: C) => accountOfCall(c, c.req.param("org"));

// ---- routes ----

/**
 * Intempt-style collections API (`/v1/:org/...`, `:org` is the account id):
 * collections with Avro schemas, their data (JSON and CSV ingest), source
 * ingest across collections, events and a person's event matches.
 */
export function registerCollections(app: OpenAPIHono<AppEnv>): void {
  // Reads need any role, writes admin or data_manager; an upload URL carries its own token.
  app.use("/v1/:org/*", async (c, next) => {
    if (/^\/v1\/[^/]+\/uploads\/[^/]+$/.test(c.req.path) && (c.req.method === "PUT" || c.req.method === "POST"))
      return next();
    return requireRole(...(c.req.method === "GET" || c.req.method === "HEAD" ? READ : WRITE))(c, next);
  });
  app.use("/v1/:org/*", async (c, next) => {
    if (!c.get("auth")) return next();
    return refuseAttributeLimited("the collections API (rows feed whole profiles)")(c, next);
  });
  const tags = ["Collections"];
  const security = tokenSecurity;
  const idParams = z.object({ org, id: z.string().openapi({ description: "Collection id or name" }) });
  const register = (route: Parameters<typeof createRoute>[0]) =>
    app.openAPIRegistry.registerPath(createRoute({ tags, security, ...route }));

  // Collections
  register({
    method: "get",
    path: "/v1/{org}/collections",
    summary: "List the account's collections",
    request: { params: z.object({ org }) },
    responses: {
      200: json(
        z.object({ _embedded: z.object({ collections: z.array(CollectionSchema) }), _links: z.object({ self: Link }) }),
        "Collections",
      ),
      ...errorResponses(401, 403, 404),
    },
  });
  app.get("/v1/:org/collections", async (c) => {
    const { cid } = await account(c);
    const defs = await registryStub(c.env, cid).listCollections();
    return c.json({
      _embedded: { collections: defs.map((d) => collectionView(c, cid, d)) },
      _links: { self: { href: collectionsUrl(c, cid) } },
    });
  });

  register({
    method: "post",
    path: "/v1/{org}/collections",
    summary: "Create a collection with an Avro record schema",
    description:
      "Keys and identifiers are top-level fields. `primaryKey` (string, int or long; required before data is stored), `foreignKeys` refer to other collections' primary keys (same type), `profileIdentifier` ties rows to a person's profile within the source (one field name per source), `userIdentifiers` (need a profile identifier) link profiles across sources. Limits: 200 collections per account, 200 top-level fields, 64 KiB schema.",
    request: {
      params: z.object({ org }),
      body: { content: { "application/json": { schema: CollectionCreateSchema } }, required: true },
    },
    responses: { 201: json(CollectionSchema, "Created"), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
  });
  app.post("/v1/:org/collections", async (c) => {
    const { cid } = await account(c);
    const input = await parsedBody(c, CollectionCreateSchema, "collection");
    const def = unwrap(await registryStub(c.env, cid).createCollection(cid, input));
    return c.json(collectionView(c, cid, def, 0), 201);
  });

  register({
    method: "get",
    path: "/v1/{org}/collections/{id}",
    summary: "A collection, with its row count",
    request: { params: idParams },
    responses: { 200: json(CollectionSchema, "The collection"), ...errorResponses(401, 403, 404) },
  });
  app.get("/v1/:org/collections/:id", async (c) => {
    const { cid } = await account(c);
    const found = await resolveCollection(c.env, cid, c.req.param("id"));
    return c.json(collectionView(c, cid, found.def, found.rows));
  });

  register({
    method: "put",
    path: "/v1/{org}/collections/{id}",
    summary: "Change a collection (the keys sent replace the current ones)",
    description:
      "While the collection holds data its primary key cannot change, and a new schema must read the stored rows (added fields need a default or a null branch; types may only widen).",
    request: {
      params: idParams,
      body: { content: { "application/json": { schema: CollectionUpdateSchema } }, required: true },
    },
    responses: { 200: json(CollectionSchema, "Updated"), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
  });
  app.put("/v1/:org/collections/:id", async (c) => {
    const { cid } = await account(c);
    const input = await parsedBody(c, CollectionUpdateSchema, "collection");
    const def = unwrap(await registryStub(c.env, cid).updateCollection(cid, c.req.param("id"), input));
    return c.json(collectionView(c, cid, def));
  });

  register({
    method: "delete",
    path: "/v1/{org}/collections/{id}",
    summary: "Delete a collection and its data; answers the deleted collection",
    description: "Refused (409) while other collections' foreign keys refer to it. Its events are deleted too.",
    request: { params: idParams },
    responses: { 200: json(CollectionSchema, "Deleted"), ...errorResponses(401, 403, 404, 409) },
  });
  app.delete("/v1/:org/collections/:id", async (c) => {
    const { cid } = await account(c);
    const def = unwrap(await registryStub(c.env, cid).deleteCollection(cid, c.req.param("id")));
    return c.json(collectionView(c, cid, def));
  });

  // Data
  register({
    method: "get",
    path: "/v1/{org}/collections/{id}/data",
    summary: "List a collection's data items (paginated, in storage order)",
    request: {
      params: idParams,
      query: z.object({
        limit: z
          .string()
          .optional()
          .openapi({ description: `Page size, 1 to ${PAGE_MAX} (default ${PAGE_DEFAULT})` }),
        cursor: z.string().optional().openapi({ description: "From `_links.next`" }),
      }),
    },
    responses: {
      200: json(
        z.object({
          _embedded: z.object({ dataItemList: z.array(DataItemSchema) }),
          page: z.object({ size: z.number(), totalElements: z.number() }),
          _links: z.object({ self: Link, next: Link.optional() }),
        }),
        "Data items",
      ),
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.get("/v1/:org/collections/:id/data", async (c) => {
    const { cid } = await account(c);
    const { def } = await resolveCollection(c.env, cid, c.req.param("id"));
    const limitText = c.req.query("limit");
    const limit = limitText === undefined ? PAGE_DEFAULT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX)
      throw badRequest(`limit must be an integer from 1 to ${PAGE_MAX}`, [{ path: "limit", message: "out of range" }]);
    const page = await collectionStub(c.env, cid, def.id).listRows(c.req.query("cursor") ?? null, limit);
    const self = `${collectionsUrl(c, cid)}/${def.id}/data`;
    const links: Record<string, { href: string }> = { self: { href: self } };
    if (page.next) links.next = { href: `${self}?limit=${limit}&cursor=${page.next}` };
    return c.json({
      _embedded: { dataItemList: page.items.map((r) => itemView(c, cid, def.id, r)) },
      page: { size: page.items.length, totalElements: page.total },
      _links: links,
    });
  });

  register({
    method: "post",
    path: "/v1/{org}/collections/{id}/data",
    summary: "Store data items (JSON), or get a CSV upload URL (text/csv → 307)",
    description:
      'JSON: one object or an array (at most 1,000 rows, 1 MiB), upsert by primary key. All or nothing: any invalid row (schema, primary key, foreign key) refuses the request with 422 naming each field. Union values may be wrapped (`{"double": 3.14}`); unknown fields are ignored. Rows of collections with a profile identifier update the person\'s profile.\n\n`Content-Type: text/csv` (no body needed): 307 with `Location`, a one-time upload URL valid for one hour. PUT the CSV file there (at most 50 MiB, first line field names); it is processed in the background — follow `GET /v1/{org}/uploads/{uploadId}`.',
    request: {
      params: idParams,
      body: {
        content: {
          "application/json": {
            schema: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]),
          },
        },
        required: false,
      },
    },
    responses: {
      201: json(IngestResultSchema, "Stored"),
      307: { description: "Upload the CSV file to `Location`", headers: { Location: { schema: { type: "string" } } } },
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
    },
  });
  app.post("/v1/:org/collections/:id/data", async (c) => {
    const { cid } = await account(c);
    const found = await resolveCollection(c.env, cid, c.req.param("id"));
    if (mediaType(c) === "text/csv") {
      if (!found.def.primaryKey)
        throw unprocessable(`collection "${found.def.name}" has no primary key; set one before storing data`, [
          { path: "primaryKey", message: "required before data is stored" },
        ]);
      const uploadId = newUploadId(found.def.id);
      const token = newUploadToken();
      const job = await collectionStub(c.env, cid, found.def.id).createUpload(
        uploadId,
        await hashUploadToken(token),
        Date.now() + UPLOAD_TTL_MS,
      );
      if (!job) throw notFound(`no collection "${c.req.param("id")}"`);
      const location = uploadUrl(baseOf(c), cid, uploadId, token);
      c.header("Location", location);
      return c.json(
        {
          status: 307,
          message: "PUT the CSV file to the Location URL",
          data: {
            uploadId,
            uploadUrl: location,
            expires: new Date(job.expires).toISOString(),
            status: uploadView(c, cid, job)._links.self.href,
          },
        },
        307,
      );
    }
    const { rows, paths } = rowsOfBody(await readJson(c));
    return ingested(c, await ingestBatches(c.env, cid, [{ target: targetOf(found.def, found.events), rows, paths }]));
  });

  const itemParams = idParams.extend({ itemId: z.string().openapi({ description: "The row's primary key value" }) });
  register({
    method: "get",
    path: "/v1/{org}/collections/{id}/data/{itemId}",
    summary: "A data item by primary key",
    request: { params: itemParams },
    responses: { 200: json(DataItemSchema, "The data item"), ...errorResponses(401, 403, 404) },
  });
  app.get("/v1/:org/collections/:id/data/:itemId", async (c) => {
    const { cid } = await account(c);
    const { def } = await resolveCollection(c.env, cid, c.req.param("id"));
    const row = await collectionStub(c.env, cid, def.id).getRow(c.req.param("itemId"));
    if (!row) throw notFound(`no data item "${c.req.param("itemId")}" in collection "${def.name}"`);
    return c.json(itemView(c, cid, def.id, row));
  });

  register({
    method: "delete",
    path: "/v1/{org}/collections/{id}/data/{itemId}",
    summary: "Delete a data item; answers the deleted item",
    description: "Rows of other collections referring to it are not checked again.",
    request: { params: itemParams },
    responses: { 200: json(DataItemSchema, "Deleted"), ...errorResponses(401, 403, 404) },
  });
  app.delete("/v1/:org/collections/:id/data/:itemId", async (c) => {
    const { cid } = await account(c);
    const { def } = await resolveCollection(c.env, cid, c.req.param("id"));
    const row = await collectionStub(c.env, cid, def.id).deleteRow(c.req.param("itemId"));
    if (!row) throw notFound(`no data item "${c.req.param("itemId")}" in collection "${def.name}"`);
    return c.json(itemView(c, cid, def.id, row));
  });

  // Uploads
  const uploadParams = z.object({ org, uploadId: z.string() });
  for (const method of ["put", "post"] as const) {
    app.openAPIRegistry.registerPath(
      createRoute({
        method,
        path: "/v1/{org}/uploads/{uploadId}",
        tags,
        summary:
          method === "put"
            ? "Upload a CSV file to an upload URL (no API token: the URL's token authorizes)"
            : "Same as PUT (for clients that follow the 307 with POST)",
        description:
          "The body is the CSV file (Content-Length required, at most 50 MiB). Answers 202; processing goes on in the background.",
        request: { params: uploadParams, query: z.object({ token: z.string() }) },
        responses: {
          202: json(z.object({ status: z.literal(202), message: z.string(), data: UploadSchema }), "Accepted"),
          411: { description: "Content-Length required" },
          ...errorResponses(404, 409, 413),
        },
      }),
    );
  }
  app.on(["PUT", "POST"], "/v1/:org/uploads/:uploadId", async (c) => {
    const cid = c.req.param("org");
    const uploadId = c.req.param("uploadId");
    const collId = collectionOfUpload(uploadId);
    const token = c.req.query("token");
    if (!collId || !token || !(await findAccount(c.env, cid))) throw notFound("no upload with that id and token");
    const declared = c.req.header("content-length");
    if (declared === undefined || !/^\d+$/.test(declared))
      throw new ApiError(411, "send the file with a Content-Length header");
    const size = Number(declared);
    if (size > MAX_UPLOAD_BYTES) throw tooLarge(`a CSV upload may have at most ${MAX_UPLOAD_BYTES} bytes`);
    const stub = collectionStub(c.env, cid, collId);
    unwrap(await stub.claimUpload(uploadId, await hashUploadToken(token)));
    try {
      await c.env.UPLOADS.put(uploadObjectKey(cid, uploadId), size === 0 ? "" : c.req.raw.body, {
        httpMetadata: { contentType: "text/csv" },
      });
    } catch (err) {
      await stub.uploadStored(uploadId, null);
      throw err;
    }
    const job = await stub.uploadStored(uploadId, size);
    if (!job) throw notFound("the collection was deleted");
    return c.json(
      {
        status: 202 as const,
        message: "accepted; the file is processed in the background",
        data: uploadView(c, cid, job),
      },
      202,
    );
  });

  register({
    method: "get",
    path: "/v1/{org}/uploads/{uploadId}",
    summary: "Progress and per-line errors of a CSV upload",
    description:
      "`state`: awaiting_upload, receiving, queued, processing, done or failed. `errors` lists the first 1,000 bad lines (line numbers count the header as line 1).",
    request: { params: uploadParams },
    responses: { 200: json(UploadSchema, "The upload"), ...errorResponses(401, 403, 404) },
  });
  app.get("/v1/:org/uploads/:uploadId", async (c) => {
    const { cid } = await account(c);
    const uploadId = c.req.param("uploadId");
    const collId = collectionOfUpload(uploadId);
    const job = collId ? await collectionStub(c.env, cid, collId).uploadStatus(uploadId) : null;
    if (!job) throw notFound(`no upload "${uploadId}"`);
    return c.json(uploadView(c, cid, job));
  });

  // Sources
  register({
    method: "post",
    path: "/v1/{org}/sources/{id}/data",
    summary: "Store data items in several collections of a source at once",
    description:
      'Body: `{"collectionName": [rows], ...}` (a single object per collection is accepted too). At most 1,000 rows and 1 MiB in all. All or nothing; a foreign key may refer to a row of the same request.',
    request: {
      params: z.object({ org, id: z.string().openapi({ description: "Source id" }) }),
      body: { content: { "application/json": { schema: z.record(z.string(), z.unknown()) } }, required: true },
    },
    responses: { 201: json(IngestResultSchema, "Stored"), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
  });
  app.post("/v1/:org/sources/:id/data", async (c) => {
    const { cid } = await account(c);
    const batches = await sourceBatches(c.env, cid, c.req.param("id"), await readJson(c));
    return ingested(c, await ingestBatches(c.env, cid, batches));
  });

  // Events
  register({
    method: "get",
    path: "/v1/{org}/events/matches",
    summary: "Events matched by a person (by profileId or masterId)",
    description:
      "`profileId`/`masterId`: a profile id (`meta.id` of `/api/entity/...?meta=true`); merged profiles are followed to the surviving one (`masterId`), and the matches of every profile merged into it are combined.",
    request: {
      params: z.object({ org }),
      query: z.object({ profileId: z.string().optional(), masterId: z.string().optional() }),
    },
    responses: { 200: json(MatchesSchema, "Matches"), ...errorResponses(400, 401, 403, 404) },
  });
  app.get("/v1/:org/events/matches", async (c) => {
    const acct = await account(c);
    const id = c.req.query("profileId") ?? c.req.query("masterId");
    if (!id) throw badRequest("give profileId or masterId", [{ path: "profileId", message: "required" }]);
    const answer = await eventMatches(c.env, acct, id);
    return c.json({
      ...answer,
      _links: { self: { href: `${baseOf(c)}/v1/${encodeURIComponent(acct.cid)}/events/matches` } },
    });
  });

  register({
    method: "get",
    path: "/v1/{org}/events",
    summary: "List events (filters on collections)",
    request: { params: z.object({ org }) },
    responses: {
      200: json(z.object({ _embedded: z.object({ events: z.array(EventSchema) }) }), "Events"),
      ...errorResponses(401, 403, 404),
    },
  });
  app.get("/v1/:org/events", async (c) => {
    const { cid } = await account(c);
    return c.json({ _embedded: { events: await registryStub(c.env, cid).listEvents() } });
  });

  register({
    method: "post",
    path: "/v1/{org}/events",
    summary: "Create or replace an event (by name)",
    description:
      "`filter` is a sum of products: a list of alternatives (OR), each a list of conditions that all hold (AND). Operators: equals, notEquals, greater, greaterOrEqual, less, lessOrEqual, contains, in, exists, notExists. The collection needs a profile identifier. Rows stored afterwards that pass the filter are matches for their person. Limits: 100 events, 50 conditions each.",
    request: {
      params: z.object({ org }),
      body: { content: { "application/json": { schema: EventInputSchema } }, required: true },
    },
    responses: {
      200: json(EventSchema, "Replaced"),
      201: json(EventSchema, "Created"),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
    },
  });
  app.post("/v1/:org/events", async (c) => {
    const { cid } = await account(c);
    const input = await parsedBody(c, EventInputSchema, "event");
    const outcome = await registryStub(c.env, cid).putEvent(cid, input);
    const event = unwrap(outcome);
    return c.json(event, outcome.ok && outcome.created ? 201 : 200);
  });

  register({
    method: "delete",
    path: "/v1/{org}/events/{name}",
    summary: "Delete an event; answers it",
    request: { params: z.object({ org, name: z.string() }) },
    responses: { 200: json(EventSchema, "Deleted"), ...errorResponses(401, 403, 404) },
  });
  app.delete("/v1/:org/events/:name", async (c) => {
    const { cid } = await account(c);
    return c.json(unwrap(await registryStub(c.env, cid).deleteEvent(cid, c.req.param("name"))));
  });
}
