/** `GET /api/experience/candidate/{cid}/config.js`: the browser's experiences script. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { browserGuard } from "../../accounts/access/browser-guard";
import { errorResponses } from "../../platform/http/openapi";
import { configScript } from "../delivery/config-script";
import { experienceStore } from "../delivery/service";
import { ConfigParams } from "../schemas";

/** Adds the browser's `config.js` to the experiences sub-app. */
export function addConfigRoutes(app: OpenAPIHono<AppEnv>): void {
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
}
