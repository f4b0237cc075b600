/** The collections API's CSV uploads: receiving a file at its upload URL, and its progress. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { notFound } from "../../platform/http/errors";
import { errorResponses, jsonContent as json, tokenSecurity as security } from "../../platform/http/openapi";
import { UploadAcceptedSchema, UploadParams, UploadQuery, UploadSchema } from "../schemas";
import { receiveUpload, uploadStatus } from "../ingest/upload-service";
import { uploadView } from "./views";
import { accountOf, readAccess } from "./access";

const tags = ["Collections"];

/** Adds the upload operations to the collections sub-app. */
export function addUploadRoutes(app: OpenAPIHono<AppEnv>): void {
  // No API token: the upload URL's own token authorizes (a missing one is an unknown upload, 404).
  for (const method of ["put", "post"] as const) {
    app.openapi(
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
        request: { params: UploadParams, query: UploadQuery },
        responses: {
          202: json(UploadAcceptedSchema, "Accepted"),
          411: { description: "Content-Length required" },
          ...errorResponses(404, 409, 413),
        },
      }),
      async (c) => {
        const cid = c.req.param("org");
        const job = await receiveUpload(
          c.env,
          cid,
          c.req.param("uploadId"),
          c.req.query("token"),
          c.req.header("content-length"),
          c.req.raw.body,
        );
        return c.json(
          {
            status: 202 as const,
            message: "accepted; the file is processed in the background",
            data: uploadView(c, cid, job),
          },
          202,
        );
      },
      (result) => {
        if (!result.success) throw notFound("no upload with that id and token");
        return undefined;
      },
    );
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/{org}/uploads/{uploadId}",
      tags,
      security,
      middleware: readAccess,
      summary: "Progress and per-line errors of a CSV upload",
      description:
        "`state`: awaiting_upload, receiving, queued, processing, done or failed. `errors` lists the first 1,000 bad lines (line numbers count the header as line 1).",
      request: { params: UploadParams },
      responses: { 200: json(UploadSchema, "The upload"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { cid } = await accountOf(c);
      return c.json(uploadView(c, cid, await uploadStatus(c.env, cid, c.req.param("uploadId"))), 200);
    },
  );
}
