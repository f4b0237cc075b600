/**
 * "Is the tag installed?": the edge notes the host of every page whose
 * browser collect call succeeded, and `GET /api/account/tag-check?url=`
 * answers from those sightings for the host of a URL the user enters.
 */
import type { MiddlewareHandler } from "hono";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall, requireRole } from "../../accounts/access/auth";
import { hostAllowed } from "../../accounts/access/browser-guard";
import { accountStub } from "../../accounts/settings/config";
import { READ } from "../../accounts/access/roles";
import { IsolateCache } from "../../platform/isolate-cache";
import { badRequest, errorResponse } from "../../platform/http/errors";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";
import { zodErrors } from "../../platform/http/validation";

/** How often one isolate notes the same host of an account. */
export const SIGHTING_INTERVAL_MS = 60_000;
const noted = new IsolateCache<true>(SIGHTING_INTERVAL_MS, 10_000);

/** The host (lower case, no port) of the page a browser call came from: its `Origin`, else its `Referer`. */
function pageHost(origin: string | undefined, referer: string | undefined): string | null {
  for (const candidate of [origin, referer]) {
    if (!candidate || candidate === "null") continue;
    try {
      const url = new URL(candidate);
      if (url.protocol === "http:" || url.protocol === "https:") return url.hostname.toLowerCase();
    } catch {
      // not a URL: try the next header
    }
  }
  return null;
}

/**
 * Route middleware of the browser collect operations (`/c/*`): after a
 * successful call, notes the page's host for its account. A failure
 * to note never fails the call.
 */
export function noteTagSightings(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    const cid = c.req.param("cid");
    const host = pageHost(c.req.header("origin"), c.req.header("referer"));
    if (!cid || !host) return;
    const key = `${cid}\u0000${host}`;
    if (noted.get(key)) return;
    noted.set(key, true);
    try {
      await accountStub(c.env, cid).noteHosts([host], Date.now());
    } catch (err) {
      noted.delete(key);
      console.error("tag sighting not noted", err);
    }
  };
}

/** The host of what the user typed: a URL, or a bare host with or without a path. */
function hostOf(input: string): string | null {
  const text = input.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

const TagCheckSchema = z
  .object({
    host: z.string(),
    installed: z.boolean().openapi({ description: "True when a page on this host sent the account events" }),
    allowed: z
      .boolean()
      .openapi({ description: "Whether the host is on the account's domains (browser calls from others are refused)" }),
    first_seen: z.string().nullable(),
    last_seen: z.string().nullable().openapi({ description: "Noted at most once a minute per worker" }),
  })
  .openapi("TagCheck");

const route = createRoute({
  method: "get",
  path: "/api/account/tag-check",
  tags: ["Account"],
  summary: "Is the tag installed on a site? Answered from the events the edge has seen from that host",
  description:
    "Give the URL of a page (or a host). `installed` is true once a page on that host sent events that were accepted; a host not on the account's `domains` cannot send any.",
  security: tokenSecurity,
  request: {
    query: z.object({
      url: z.string().min(1).max(2048).openapi({ example: "https://www.example.com/pricing" }),
      cid: z.string().optional().openapi({ description: "Account id (root token only)" }),
    }),
  },
  responses: {
    200: {
      description: "What the edge saw",
      content: {
        "application/json": { schema: z.object({ status: z.literal(200), message: z.string(), data: TagCheckSchema }) },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** The tag check route, mounted with `app.route("/", tagCheckRoutes())`. */
export function tagCheckRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, 400, "the request is not valid", zodErrors(result.error));
    },
  });
  app.use("/api/account/tag-check", requireRole(...READ));
  app.openapi(route, async (c) => {
    const account = await accountOfCall(c);
    const input = c.req.valid("query").url;
    const host = hostOf(input);
    if (!host)
      throw badRequest(`"${input}" is not a web address`, [
        { path: "url", message: "give a URL such as https://www.example.com/ or a host name" },
      ]);
    const seen = await accountStub(c.env, account.cid).hostSighting(host);
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return c.json(
      {
        status: 200 as const,
        message: seen ? "the tag sent events from this host" : "no events seen from this host yet",
        data: {
          host,
          installed: seen !== null,
          allowed: hostAllowed(
            host,
            account.domains.map((d) => d.replace(/^https?:\/\//i, "").replace(/:\d+$/, "")),
          ),
          first_seen: iso(seen?.first),
          last_seen: iso(seen?.last),
        },
      },
      200,
    );
  });
  return app;
}
