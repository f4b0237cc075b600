import type { Context } from "hono";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { requireAccount } from "../accounts/settings/config";
import { notFound } from "../platform/http/errors";
import { PREFIX_HEADER } from "../platform/http/prefix";
import { CONSOLE_POLICY, PREVIEW_POLICY } from "./page-policy";
import { TagParams } from "./schemas";
import { tagScript } from "./tag-script";

/** Fetches a file of dist/ through the ASSETS binding, or throws 404. */
async function asset(c: Context<AppEnv>, path: string): Promise<Response> {
  const res = await c.env.ASSETS.fetch(new Request(new URL(path, c.req.url)));
  if (res.status === 404) throw notFound(`no file at ${new URL(c.req.url).pathname}`);
  return res;
}

/**
 * The site sub-app: the tag with the account's defaults (a documented
 * operation), and the static files and pages — widget bundles, console,
 * demo site — served from dist/ as plain, undocumented routes.
 */
export function siteRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  for (const file of ["latest.min.js", "latest.js"] as const) {
    app.openapi(
      createRoute({
        method: "get",
        path: `/api/tag/{cid}/${file}`,
        tags: ["Browser"],
        summary: `The browser tag${file.includes(".min") ? " (minified)" : ""} with the account's defaults`,
        description:
          "Load it through the install snippet: `jstag.init({ src: '<this URL>' })`. Carries the account id, collect URL and cookie settings, so `init` needs no `cid`.",
        request: { params: TagParams },
        responses: {
          200: { description: "JavaScript", content: { "application/javascript": { schema: z.string() } } },
          404: { description: "Unknown account" },
        },
      }),
      async (c) => {
        const account = await requireAccount(c.env, c.req.param("cid"));
        const bundle = await (await asset(c, `/tag/${file}`)).text();
        c.header("Content-Type", "application/javascript; charset=utf-8");
        // The collect URL comes from PUBLIC_ORIGIN when configured; otherwise from the request's Host,
        // and then no shared cache may keep it (a forged Host would be served to everyone).
        const publicOrigin = c.env.PUBLIC_ORIGIN;
        c.header("Cache-Control", publicOrigin ? "public, max-age=300" : "private, max-age=300");
        c.header("Vary", publicOrigin ? PREFIX_HEADER : `Host, ${PREFIX_HEADER}`);
        c.header("Access-Control-Allow-Origin", "*");
        return c.body(await tagScript(c.env, account, bundle, c.req.url, c.req.header(PREFIX_HEADER)), 200);
      },
      // A malformed account id is an unknown account, as the tag URL has always answered.
      (result, c) => {
        if (!result.success) throw notFound(`unknown account "${c.req.param("cid")}"`);
        return undefined;
      },
    );
  }
  const passThrough = (prefix: string) => async (c: Context<AppEnv>) => {
    const res = await asset(c, new URL(c.req.url).pathname.replace(/\/$/, "/index.html"));
    const out = new Response(res.body, res);
    out.headers.set("Access-Control-Allow-Origin", "*");
    if (prefix === "/static") out.headers.set("Cache-Control", "public, max-age=3600");
    return out;
  };
  app.get("/static/*", passThrough("/static"));
  app.get("/tag/*", passThrough("/tag"));
  app.get("/manifest.json", passThrough("/"));
  app.get("/admin/preview.html", async (c) => {
    const res = await asset(c, "/admin/preview.html");
    const out = new Response(res.body, res);
    out.headers.set("Content-Security-Policy", PREVIEW_POLICY);
    return out;
  });
  app.get("/admin", async (c) => {
    const res = await asset(c, "/admin/index.html");
    const out = new Response(res.body, res);
    out.headers.set("Content-Security-Policy", CONSOLE_POLICY);
    out.headers.set("Cache-Control", "no-store");
    return out;
  });
  app.get("/admin/", (c) => c.redirect("/admin", 301));
  app.get("/admin/*", async (c) => {
    const res = await asset(c, new URL(c.req.url).pathname);
    const out = new Response(res.body, res);
    out.headers.set("Content-Security-Policy", CONSOLE_POLICY);
    return out;
  });
  app.get("/demo", (c) => c.redirect("/demo/", 301));
  app.get("/demo/*", passThrough("/demo"));
  app.get("/", (c) => c.redirect("/demo/", 302));
  return app;
}
