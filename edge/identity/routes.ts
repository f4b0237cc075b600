import { getCookie, setCookie } from "hono/cookie";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { browserGuard, browserPreflight } from "../accounts/access/browser-guard";
import { errorResponses, jsonContent, preflightRoute } from "../platform/http/openapi";
import { CrossDomainIdSchema, CrossDomainParams } from "./schemas";

/** Cookie the worker sets on its own domain for cross-domain identity. */
export const CROSS_DOMAIN_COOKIE = "pl_xid";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identity sub-app: `GET /cid/:cid`, the visitor's cross-domain id (browser endpoint). */
export function identityRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(preflightRoute("/cid/{cid}"), browserPreflight);
  app.openapi(
    createRoute({
      method: "get",
      path: "/cid/{cid}",
      tags: ["Browser"],
      summary: "The visitor's cross-domain id (`loadid`)",
      description:
        "Browser endpoint called with credentials: answers the id kept in a cookie on the worker's own domain, creating it on first call, so sites of one account on different domains can share a visitor id. JSON, no JSONP.",
      middleware: browserGuard(CrossDomainParams),
      request: { params: CrossDomainParams },
      responses: { 200: jsonContent(CrossDomainIdSchema, "The id"), ...errorResponses(403, 404) },
    }),
    async (c) => {
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
    },
  );
  return app;
}
