/** The recommendation API: browser (allowlisted origins) and token variants. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall } from "../../accounts/access/auth";
import { browserGuard, browserPreflight } from "../../accounts/access/browser-guard";
import { forbidden } from "../../platform/http/errors";
import { errorResponses, jsonContent as json, preflightRoute } from "../../platform/http/openapi";
import { BrowserRecommendParams, RecommendationsSchema, RecommendParams, RecommendQuery } from "../schemas";
import { recommend } from "../service";
import { type C, read, security, tags } from "./access";

/**
 * The page a browser asks from (its `Referer`, scheme-less, without query
 * and fragment), when it names a path: with `visited=false` that page is
 * never recommended to itself, even before its own page view is recorded.
 */
function askingPage(c: C): string | null {
  const referer = c.req.header("referer");
  if (!referer) return null;
  try {
    const u = new URL(referer);
    if (u.pathname === "/" || !/^https?:$/.test(u.protocol)) return null;
    return `${u.host}${u.pathname.replace(/\/+$/, "")}`.replace(/\*/g, "");
  } catch {
    return null;
  }
}

/** `_uids` (Pathfora's request shape) means the cookie id, as `_uid` does. */
const idField = (field: string): string => (field === "_uids" ? "_uid" : field);

/** Adds the recommendation operations to the content sub-app. */
export function addRecommendRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(preflightRoute("/api/content/recommend/{cid}/user/{field}/{value}"), browserPreflight);
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/recommend/{cid}/user/{field}/{value}",
      tags,
      summary: "Recommended documents for a visitor (browser)",
      description:
        "Browser endpoint: no token; calls from other origins must come from a domain on the account's allowlist. `field` is `_uid` (or `_uids`, as Pathfora sends it) with the visitor's cookie id, or a field the account lists in `personalize_fields`. Ranked by topic affinity (default), popularity or recency; see the README. With `visited=false` the page named by the request's `Referer` is left out too (its own page view may not be recorded yet). Limit: the account's `rate_limit_per_second` (default 250) across isolates, 429 with `Retry-After` past it.",
      middleware: browserGuard(),
      request: { params: BrowserRecommendParams, query: RecommendQuery },
      responses: {
        200: json(RecommendationsSchema, "Recommended documents, best first"),
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      const account = c.get("account");
      const field = idField(c.req.param("field"));
      if (field !== "_uid" && !account.personalize_fields.includes(field))
        throw forbidden(
          `looking visitors up by "${field}" is not enabled for this account (setting personalize_fields)`,
        );
      const params = new URL(c.req.url).searchParams;
      const data = await recommend(c.env, account, field, c.req.param("value"), params, (visited) =>
        visited ? null : askingPage(c),
      );
      c.header("Cache-Control", "no-store");
      return c.json({ data }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/recommend/user/{field}/{value}",
      tags,
      summary: "Recommended documents for a profile (token)",
      description:
        "Server variant (e.g. an Iterable data feed): any role. `field` is any identifier field (`_uid`, `email`, ...). Same parameters, ranking, response and rate limit as the browser variant.",
      security,
      middleware: read,
      request: { params: RecommendParams, query: RecommendQuery },
      responses: {
        200: json(RecommendationsSchema, "Recommended documents, best first"),
        ...errorResponses(400, 401, 403, 404, 429),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const params = new URL(c.req.url).searchParams;
      const data = await recommend(
        c.env,
        account,
        idField(c.req.param("field")),
        c.req.param("value"),
        params,
        () => null,
      );
      c.header("Cache-Control", "no-store");
      return c.json({ data }, 200);
    },
  );
}
