/** The documents API (`/api/content/doc`): reads, JSON writes and CSV imports, updates, deletions. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall } from "../../accounts/access/auth";
import { mediaType, readJson, readText } from "../../platform/http/body";
import { badRequest, notFound } from "../../platform/http/errors";
import { errorResponses, jsonBody, jsonContent as json } from "../../platform/http/openapi";
import {
  DeletedSchema,
  DocumentDeleteQuery,
  DocumentPageSchema,
  DocumentPatchWriteSchema,
  DocumentQuery,
  DocumentSchema,
  DocumentWriteSchema,
  envelope,
  ImportParams,
  ImportSchema,
} from "../schemas";
import { DocumentDeleteSchema, zodProblems } from "../documents/input";
import { importStatus, importView, MAX_CSV_UNSIZED_BYTES, refuse, startCsvImport } from "../service";
import { contentStub } from "../stubs";
import { contentChanged, settledContent } from "../views/collect-hook";
import { read, security, success, tags, write } from "./access";

/** Largest JSON body of a document write (bytes): 1,000 documents of a few KiB. */
export const MAX_DOC_BODY = 8 * 1024 * 1024;
/** Page size of document lists (default and maximum). */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;

/** Adds the document operations to the content sub-app. */
export function addDocumentRoutes(app: OpenAPIHono<AppEnv>): void {
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
      const stub = await settledContent(c.env, account.cid);
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
        "JSON: one document, an array, or `{documents: [...]}` (at most 1,000), keyed by canonical URL; all or nothing (400 naming each problem). Giving `topics` sets them by hand (extraction never overwrites them).\n\n`Content-Type: text/csv`: a CSV file (at most 50 MiB with a Content-Length, else 10 MiB) with a header naming url, title, description, image, author, published, keywords, topics (or their aliases). It is staged in R2 and imported as a job, 256 KiB at a time: the first chunk in this request (a bad header answers 400), the rest in the background. The answer is 202 with the job (`Location`: `GET /api/content/import/{id}`); each bad line is reported with its number and skipped.",
      security,
      middleware: write,
      request: { body: jsonBody(app, "ContentDocumentWrite", DocumentWriteSchema, {}) },
      responses: {
        201: json(envelope(201, DocumentSchema.array()), "Documents stored"),
        202: json(envelope(202, ImportSchema), "CSV import started"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      if (mediaType(c) === "text/csv") {
        const job = await startCsvImport(c.env, account.cid, c.req.raw, () => readText(c, MAX_CSV_UNSIZED_BYTES));
        contentChanged(account.cid);
        c.header("Location", `/api/content/import/${job.id}?cid=${encodeURIComponent(account.cid)}`);
        const message =
          job.state === "done" ? "imported" : "accepted; the rest of the file is imported in the background";
        return c.json({ status: 202 as const, message, data: importView(job) }, 202);
      }
      const body = await readJson(c, MAX_DOC_BODY);
      const written = await contentStub(c.env, account.cid).putDocuments(Array.isArray(body) ? body : [body], "api");
      if (!written.ok) refuse(written.status, "the documents are not valid; nothing was stored", written.problems);
      contentChanged(account.cid);
      return c.json({ status: 201 as const, message: "success", data: written.docs }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/import/{id}",
      tags,
      summary: "Progress and per-line errors of a CSV import",
      description:
        "`state`: queued, processing, done or failed; `processed` bytes of `size` (`progress` 0–1); `errors` lists the first 1,000 bad lines (the header is line 1), `errorsTotal` counts all. The last 100 finished imports are kept.",
      security,
      middleware: read,
      request: { params: ImportParams },
      responses: { 200: json(envelope(200, ImportSchema), "The import"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const id = c.req.param("id");
      const job = await importStatus(c.env, account.cid, id);
      if (!job) throw notFound(`no import "${id}"`);
      return success(c, importView(job));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/import",
      tags,
      summary: "The account's CSV imports, newest first",
      security,
      middleware: read,
      responses: { 200: json(envelope(200, ImportSchema.array()), "Imports"), ...errorResponses(401, 403) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const jobs = await contentStub(c.env, account.cid).importJobs();
      return success(c, jobs.map(importView));
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
      contentChanged(account.cid);
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
      contentChanged(account.cid);
      if (!result.deleted.length) throw notFound(`no document ${result.missing.join(", ")}`);
      return success(c, result);
    },
  );
}
