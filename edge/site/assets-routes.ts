import type { Context } from "hono";
import { hasPublishedExperiences } from "../experiences/delivery";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { requireAccount, type AccountConfig } from "../accounts/config";
import { CidSchema } from "../accounts/settings";
import { notFound } from "../platform/http/errors";
import { PREFIX_HEADER } from "../platform/http/prefix";
import { CONSOLE_POLICY } from "./page-policy";

/** Fetches a file of dist/ through the ASSETS binding, or throws 404. */
async function asset(c: Context<AppEnv>, path: string): Promise<Response> {
  const res = await c.env.ASSETS.fetch(new Request(new URL(path, c.req.url)));
  if (res.status === 404) throw notFound(`no file at ${new URL(c.req.url).pathname}`);
  return res;
}

/** Serialises a value into JavaScript source safely (no `</script>`, no U+2028). */
export function jsLiteral(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The defaults the served tag carries: the account id, the origin (and
 * path prefix, when the worker is routed under e.g. `/px/` on the site's
 * own domain) to collect to, and the account's cookie settings.
 */
export function tagDefaults(
  account: AccountConfig,
  requestUrl: string,
  prefix = "",
  publicOrigin?: string,
): Record<string, unknown> {
  const origin = publicOrigin ? new URL(publicOrigin).origin : new URL(requestUrl).origin;
  const defaults: Record<string, unknown> = {
    cid: account.cid,
    url: origin + prefix,
    cookie: account.tag.cookie,
    expires: account.tag.cookie_expires_days,
    sessecs: account.tag.sessecs,
  };
  if (account.tag.cookie_domain) defaults.domain = account.tag.cookie_domain;
  return defaults;
}

const tagRoute = (file: string) =>
  createRoute({
    method: "get",
    path: `/api/tag/{cid}/${file}`,
    tags: ["Browser"],
    summary: `The browser tag${file.includes(".min") ? " (minified)" : ""} with the account's defaults`,
    description:
      "Load it through the install snippet: `jstag.init({ src: '<this URL>' })`. Carries the account id, collect URL and cookie settings, so `init` needs no `cid`.",
    request: { params: z.object({ cid: CidSchema }) },
    responses: {
      200: { description: "JavaScript", content: { "application/javascript": { schema: z.string() } } },
      404: { description: "Unknown account" },
    },
  });

/** The tag, widget bundles, demo site and other static files. */
export function registerAssets(app: OpenAPIHono<AppEnv>): void {
  for (const file of ["latest.min.js", "latest.js"]) {
    app.openAPIRegistry.registerPath(tagRoute(file));
    app.get(`/api/tag/:cid/${file}`, async (c) => {
      const account = await requireAccount(c.env, c.req.param("cid"));
      const script = await (await asset(c, `/tag/${file}`)).text();
      c.header("Content-Type", "application/javascript; charset=utf-8");
      // The collect URL comes from PUBLIC_ORIGIN when configured; otherwise from the request's Host,
      // and then no shared cache may keep it (a forged Host would be served to everyone).
      const publicOrigin = c.env.PUBLIC_ORIGIN;
      c.header("Cache-Control", publicOrigin ? "public, max-age=300" : "private, max-age=300");
      c.header("Vary", publicOrigin ? PREFIX_HEADER : `Host, ${PREFIX_HEADER}`);
      c.header("Access-Control-Allow-Origin", "*");
      const defaults = tagDefaults(account, c.req.url, c.req.header(PREFIX_HEADER), publicOrigin);
      if (await hasPublishedExperiences(c.env, account.cid)) defaults.experiences = true;
      return c.body(`var __plDefaults=${jsLiteral(defaults)};\n${script}`);
    });
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
  // The console: a strict policy, since it holds a token.
  const consolePolicy = CONSOLE_POLICY;
  app.get("/admin", async (c) => {
    const res = await asset(c, "/admin/index.html");
    const out = new Response(res.body, res);
    out.headers.set("Content-Security-Policy", consolePolicy);
    out.headers.set("Cache-Control", "no-store");
    return out;
  });
  app.get("/admin/", (c) => c.redirect("/admin", 301));
  app.get("/admin/*", async (c) => {
    const res = await asset(c, new URL(c.req.url).pathname);
    const out = new Response(res.body, res);
    out.headers.set("Content-Security-Policy", consolePolicy);
    return out;
  });
  app.get("/demo", (c) => c.redirect("/demo/", 301));
  app.get("/demo/*", passThrough("/demo"));
  app.get("/", (c) => c.redirect("/demo/", 302));
}
