import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { notFound } from "../platform/http/errors";
import { CONSOLE_POLICY } from "./page-policy";

const INFO = {
  openapi: "3.1.0",
  info: {
    title: "Pathlight API",
    version: "0.1.0",
    description:
      "Real-time personalization on Cloudflare's edge. Browser endpoints need no token and answer only the account's allowed domains; management endpoints take a token in `Authorization` (or `?key=`). Errors are `{status, message, errors}`.\n\nTo try a request here, press **Authorize** and paste a token (it is kept in this tab's memory only), then **Try it out** on an operation: the request goes to this server.",
  },
};

/** Files of the reference page, built into dist/docs (scripts/post-build.mjs). */
const DOCS_FILES = new Set(["swagger-ui-bundle.js", "swagger-ui.css", "docs.js", "docs.css"]);

/**
 * `/openapi.json`, and `/docs`: Swagger UI (from the installed
 * `swagger-ui-dist`, bundled into dist at build time) rendering it, under
 * the console's strict policy. `/docs/` redirects to `/docs`.
 */
export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "token", {
    type: "apiKey",
    in: "header",
    name: "Authorization",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "key", { type: "apiKey", in: "query", name: "key" });
  const document = () => app.getOpenAPI31Document(INFO);
  app.get("/openapi.json", (c) => c.json(document()));
  app.get("/docs", async (c) => {
    const res = await c.env.ASSETS.fetch(new Request(new URL("/docs/index.html", c.req.url)));
    if (res.status !== 200) throw notFound("the API reference was not built; run npm run build");
    const out = new Response(res.body, res);
    out.headers.set("Content-Security-Policy", CONSOLE_POLICY);
    out.headers.set("Cache-Control", "no-cache");
    return out;
  });
  app.get("/docs/", (c) => c.redirect("/docs", 301));
  app.get("/docs/:file", async (c) => {
    const file = c.req.param("file");
    if (!DOCS_FILES.has(file)) throw notFound(`no file at /docs/${file}`);
    const res = await c.env.ASSETS.fetch(new Request(new URL(`/docs/${file}`, c.req.url)));
    if (res.status !== 200) throw notFound(`no file at /docs/${file}`);
    const out = new Response(res.body, res);
    out.headers.set("Content-Security-Policy", CONSOLE_POLICY);
    out.headers.set("Cache-Control", "public, max-age=3600");
    return out;
  });
}
