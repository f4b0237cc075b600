import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { requireAccount } from "../accounts/config";
import { CidSchema } from "../accounts/settings";
import { applyBrowserCors, preflight } from "../accounts/browser-guard";
import { errorResponses } from "../platform/http/openapi";

/** Cookie the worker sets on its own domain for cross-domain identity. */
export const CROSS_DOMAIN_COOKIE = "pl_xid";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const route = createRoute({
  method: "get",
  path: "/cid/{cid}",
  tags: ["Browser"],
  summary: "The visitor's cross-domain id (`loadid`)",
  description:
    "Browser endpoint called with credentials: answers the id kept in a cookie on the worker's own domain, creating it on first call, so sites of one account on different domains can share a visitor id. JSON, no JSONP.",
  request: { params: z.object({ cid: CidSchema }) },
  responses: {
    200: {
      description: "The id",
      content: { "application/json": { schema: z.object({ data: z.object({ _uid: z.string() }) }) } },
    },
    ...errorResponses(403, 404),
  },
});

/** `GET /cid/:cid`. */
export function registerCrossDomainId(app: OpenAPIHono<AppEnv>): void {
  app.options("/cid/:cid", async (c: Context<AppEnv>) =>
    preflight(c, await requireAccount(c.env, c.req.param("cid")!)),
  );
  app.openapi(route, async (c) => {
    const account = await requireAccount(c.env, c.req.valid("param").cid);
    applyBrowserCors(c, account);
    let id = getCookie(c, CROSS_DOMAIN_COOKIE);
    if (!id || !UUID.test(id)) id = crypto.randomUUID();
    const secure = new URL(c.req.url).protocol === "https:";
    setCookie(c, CROSS_DOMAIN_COOKIE, id, {
      path: "/",
      maxAge: 365 * 24 * 3600,
      httpOnly: true,
      secure,
      sameSite: secure ? "None" : "Lax",
    });
    c.header("Cache-Control", "no-store");
    return c.json({ data: { _uid: id } }, 200);
  });
}
