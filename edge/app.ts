import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./accounts/app-env";
import { ApiError, errorResponse } from "./platform/http/errors";
import { zodErrors } from "./platform/http/validation";
import { accountsRoutes } from "./accounts/routes";
import { siteRoutes } from "./site/routes";
import { identityRoutes } from "./identity/routes";
import { collectRoutes } from "./collect/routes";
import { collectionsRoutes } from "./collections/routes";
import { contentRoutes } from "./content/routes";
import { registerDocs } from "./site/docs-routes";
import { eligibleFor } from "./experiences/delivery/service";
import { experiencesRoutes } from "./experiences/routes";
import { profilesRoutes } from "./profiles/routes";
import { audiencesRoutes } from "./audiences/routes";
import { segmentHubRoutes } from "./segmenthub/routes";
import { webhooksRoutes } from "./webhooks/routes";

/**
 * The policy of HTML pages that set none (the demo, whose pages carry their
 * own script policy in a `<meta>`, allowing the inline install snippet by its
 * hash): no framing, no plugins, no base-URI tricks — what a `<meta>` policy
 * cannot say.
 */
const PAGE_POLICY = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'";

/**
 * Headers of every HTML page (demo, console, docs): a strict CSP that
 * forbids framing, a Referrer-Policy, and no `Access-Control-Allow-Origin`
 * (no other origin may read a page).
 */
function securePage(headers: Headers): void {
  const csp = headers.get("content-security-policy");
  if (!csp) headers.set("content-security-policy", PAGE_POLICY);
  else if (!/frame-ancestors/.test(csp)) headers.set("content-security-policy", `${csp}; frame-ancestors 'none'`);
  if (!headers.has("referrer-policy")) headers.set("referrer-policy", "strict-origin-when-cross-origin");
  headers.delete("access-control-allow-origin");
}

/** Builds the Pathlight worker app: every route, error handling, docs. */
export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // Route validation failures: 400 for malformed parameters, with zod's detail.
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, 400, "the request is not valid", zodErrors(result.error));
    },
  });

  app.use(async (c, next) => {
    await next();
    c.res.headers.set("X-Content-Type-Options", "nosniff");
    if ((c.res.headers.get("content-type") ?? "").startsWith("text/html")) securePage(c.res.headers);
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.route("/", collectRoutes());
  app.route("/", experiencesRoutes());
  app.route("/", profilesRoutes({ experiencesFor: eligibleFor }));
  app.route("/", identityRoutes());
  app.route("/", accountsRoutes());
  app.route("/", audiencesRoutes());
  app.route("/", segmentHubRoutes());
  app.route("/", webhooksRoutes());
  app.route("/", collectionsRoutes());
  app.route("/", contentRoutes());
  app.route("/", siteRoutes());
  registerDocs(app);

  app.notFound((c) => errorResponse(c, 404, `no route for ${c.req.method} ${new URL(c.req.url).pathname}`));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return errorResponse(c, err.status, err.message, err.errors);
    }
    if (err instanceof HTTPException)
      return errorResponse(c, err.status as ContentfulStatusCode, err.message || "request failed");
    console.error("unhandled error", err);
    return errorResponse(c, 500, "internal error");
  });
  return app;
}
