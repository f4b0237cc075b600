/** The collections API's data: items of one collection (JSON, or a CSV upload URL) and source writes. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { mediaType, readJson } from "../../platform/http/body";
import { badRequest, notFound } from "../../platform/http/errors";
import { errorResponses, jsonBody, jsonContent as json, tokenSecurity as security } from "../../platform/http/openapi";
import { targetOf } from "../ingest/prepare";
import { PAGE_MAX } from "../model/limits";
import {
  CollectionParams,
  DataItemSchema,
  DataListQuery,
  DataListSchema,
  DataWriteSchema,
  IngestResultSchema,
  ItemParams,
  LIST_ALL_MAX,
  SourceParams,
  SourceWriteSchema,
} from "../schemas";
import { ingestBatches, listItems, resolveCollection, rowsOfBody, sourceBatches } from "../service";
import { collectionStub } from "../stubs";
import { uploadUrl } from "../ingest/uploads";
import { startUpload } from "../ingest/upload-service";
import { baseOf, collectionsUrl, ingested, itemView, uploadView } from "./views";
import { accountOf, readAccess, writeAccess } from "./access";

const tags = ["Collections"];

/** Adds the data item and source write operations to the collections sub-app. */
export function addDataRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/{org}/collections/{id}/data",
      tags,
      security,
      middleware: readAccess,
      summary: "List a collection's data items (all of them by default, in storage order)",
      request: { params: CollectionParams, query: DataListQuery },
      responses: { 200: json(DataListSchema, "Data items"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const { def } = await resolveCollection(c.env, cid, c.req.param("id"));
      const limitText = c.req.query("limit");
      const all = limitText === undefined;
      const limit = all ? PAGE_MAX : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX)
        throw badRequest(`limit must be an integer from 1 to ${PAGE_MAX}`, [
          { path: "limit", message: "out of range" },
        ]);
      // Without a limit: every item, page after page, up to LIST_ALL_MAX.
      const page = await listItems(c.env, cid, def.id, c.req.query("cursor") ?? null, limit, all, LIST_ALL_MAX);
      const self = `${collectionsUrl(c, cid)}/${def.id}/data`;
      const links: { self: { href: string }; next?: { href: string } } = { self: { href: self } };
      if (page.next) links.next = { href: `${self}?${all ? "" : `limit=${limit}&`}cursor=${page.next}` };
      return c.json(
        {
          _embedded: { dataItemList: page.items.map((r) => itemView(c, cid, def.id, r)) },
          page: { size: page.items.length, totalElements: page.total },
          _links: links,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/{org}/collections/{id}/data",
      tags,
      security,
      middleware: writeAccess,
      summary: "Store data items (JSON), or get a CSV upload URL (text/csv → 307)",
      description:
        'JSON: one object or an array (at most 1,000 rows, 1 MiB), upsert by primary key. All or nothing: any invalid row (schema, primary key, foreign key) refuses the request with 422 naming each field. Union values may be wrapped (`{"double": 3.14}`); unknown fields are ignored. Rows of collections with a profile identifier update the person\'s profile.\n\n`Content-Type: text/csv` (no body needed): 307 with `Location`, a one-time upload URL valid for one hour. PUT the CSV file there (at most 50 MiB, first line field names); it is processed in the background — follow `GET /v1/{org}/uploads/{uploadId}`.',
      request: { params: CollectionParams, body: jsonBody(app, "DataWrite", DataWriteSchema, { required: false }) },
      responses: {
        201: json(IngestResultSchema, "Stored"),
        307: {
          description: "Upload the CSV file to `Location`",
          headers: { Location: { schema: { type: "string" } } },
        },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const found = await resolveCollection(c.env, cid, c.req.param("id"));
      if (mediaType(c) === "text/csv") {
        const { uploadId, token, job } = await startUpload(c.env, cid, found.def, c.req.param("id"));
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
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/{org}/collections/{id}/data/{itemId}",
      tags,
      security,
      middleware: readAccess,
      summary: "A data item by primary key",
      request: { params: ItemParams },
      responses: { 200: json(DataItemSchema, "The data item"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const { def } = await resolveCollection(c.env, cid, c.req.param("id"));
      const row = await collectionStub(c.env, cid, def.id).getRow(c.req.param("itemId"));
      if (!row) throw notFound(`no data item "${c.req.param("itemId")}" in collection "${def.name}"`);
      return c.json(itemView(c, cid, def.id, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/{org}/collections/{id}/data/{itemId}",
      tags,
      security,
      middleware: writeAccess,
      summary: "Delete a data item; answers the deleted item",
      description: "Rows of other collections referring to it are not checked again.",
      request: { params: ItemParams },
      responses: { 200: json(DataItemSchema, "Deleted"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const { def } = await resolveCollection(c.env, cid, c.req.param("id"));
      const row = await collectionStub(c.env, cid, def.id).deleteRow(c.req.param("itemId"));
      if (!row) throw notFound(`no data item "${c.req.param("itemId")}" in collection "${def.name}"`);
      return c.json(itemView(c, cid, def.id, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/{org}/sources/{id}/data",
      tags,
      security,
      middleware: writeAccess,
      summary: "Store data items in several collections of a source at once",
      description:
        'Body: `{"collectionName": [rows], ...}` (a single object per collection is accepted too). At most 1,000 rows and 1 MiB in all. All or nothing; a foreign key may refer to a row of the same request.',
      request: { params: SourceParams, body: jsonBody(app, "SourceWrite", SourceWriteSchema) },
      responses: { 201: json(IngestResultSchema, "Stored"), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      const batches = await sourceBatches(c.env, cid, c.req.param("id"), await readJson(c));
      return ingested(c, await ingestBatches(c.env, cid, batches));
    },
  );
}
