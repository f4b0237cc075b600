import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { CollectEvent } from "../../types/wire";
import type { AppEnv } from "../accounts/app-env";
import { accountOfCall, requireRole } from "../accounts/access/auth";
import { browserGuard, browserPreflight } from "../accounts/access/browser-guard";
import type { AccountConfig } from "../accounts/settings/config";
import { API_BODY_LIMIT, COLLECT_BODY_LIMIT, mediaType, parseJson, readText } from "../platform/http/body";
import { badRequest, unsupportedType } from "../platform/http/errors";
import { errorResponses, jsonContent, preflightRoute, tokenSecurity } from "../platform/http/openapi";
import { PREFIX_HEADER } from "../platform/http/prefix";
import { fromJsonBody, fromLegacyFields, legacyParams } from "./parse";
import { BrowserCollectParams, CollectResultSchema, ServerCollectParams, ServerCollectQuery } from "./schemas";
import { collectBrowserEvents, collectServerEvents } from "./service";
import { noteTagSightings, tagCheckRoutes } from "./routes/tag-check";
import { CollectEntityQuery, CollectWithEntitySchema, ENTITY_FLAG, entityAnswer, wantsEntity } from "./entity-answer";

/**
 * First-party mode (the worker routed on the site's own domain): re-set the
 * visitor's id cookie from the server, readable by the tag and as an
 * HttpOnly copy, so it outlives browsers' caps on script-written cookies.
 */
function setFirstPartyCookie(c: Context<AppEnv>, account: AccountConfig, events: CollectEvent[]): void {
  const uid = events
    .map((e) => e._uid)
    .filter((u): u is string => typeof u === "string" && /^[\w.-]{1,128}$/.test(u))
    .pop();
  if (!uid) return;
  const secure = new URL(c.req.url).protocol === "https:";
  const options = {
    path: "/",
    maxAge: account.tag.cookie_expires_days * 86400,
    sameSite: "Lax" as const,
    secure,
    domain: account.tag.cookie_domain,
  };
  setCookie(c, account.tag.cookie, uid, options);
  setCookie(c, `${account.tag.cookie}_h`, uid, { ...options, httpOnly: true });
}

/**
 * Reads the events of a browser collect call: the query string (legacy
 * GET pixel), a form body (legacy, `_js` for large payloads), or JSON
 * (the tag's batches; `text/plain` too, as `sendBeacon` sends it).
 */
async function browserEvents(c: Context<AppEnv>): Promise<unknown[]> {
  // The tag's POSTs carry no query string: no URL to parse then.
  const search = c.req.url.includes("?") ? new URL(c.req.url).search : "";
  // The account id, a token (`?key=`) and the entity flag are never profile fields.
  const control = ["cid", "key", ENTITY_FLAG];
  if (c.req.method === "GET")
    return fromLegacyFields(legacyParams(search.slice(1)).filter(([k]) => !control.includes(k)));
  const type = mediaType(c);
  const text = await readText(c, COLLECT_BODY_LIMIT);
  let events: unknown[];
  if (type === "application/json" || type === "text/plain" || type === "") {
    if (!text.trim()) throw badRequest("request body is empty");
    events = fromJsonBody(parseJson(text));
  } else if (type === "application/x-www-form-urlencoded") {
    events = fromLegacyFields(legacyParams(text));
  } else {
    throw unsupportedType(
      `collect accepts application/json, text/plain or application/x-www-form-urlencoded, not ${type}`,
    );
  }
  // Query parameters on a POST (e.g. `?_uid=`) apply to every event unless the event sets them.
  const extra = search ? [...new URLSearchParams(search)].filter(([k]) => !control.includes(k)) : [];
  if (extra.length)
    events = events.map((e) =>
      typeof e === "object" && e && !Array.isArray(e) ? { ...Object.fromEntries(extra), ...e } : e,
    );
  return events;
}

const collectResponses = {
  200: jsonContent(CollectResultSchema, "Events stored"),
  ...errorResponses(400, 403, 404, 413, 415),
};

/** The collect sub-app: browser endpoints (`/c/:cid`, allowlisted origins) and the server endpoint (token). */
export function collectRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  for (const path of ["/c/{cid}", "/c/{cid}/{stream}"] as const) {
    app.openapi(preflightRoute(path), browserPreflight);
    for (const method of ["get", "post"] as const) {
      app.openapi(
        createRoute({
          method,
          path,
          tags: ["Collect"],
          summary:
            method === "get"
              ? "Collect one event from the query string (legacy pixel)"
              : "Collect events from the tag (JSON, text/plain JSON, or form)",
          description:
            "Browser endpoint: no token; calls from other origins must come from a domain on the account's allowlist. Body: one event, an array, or `{events: [...]}`; legacy Lytics wire format (flattened `a.b` keys, `k_json`, `_js`) is accepted. Limits: 256 KiB body, 200 events, 300 fields per event; legacy query strings and forms: 1,000 key=value pairs, 500 repeats of one key. Events carrying an `_eid` seen in the last 7 days are ignored.",
          // The sightings middleware notes the page's host after a successful call (the console's tag check).
          middleware: [noteTagSightings(), browserGuard()] as const,
          request:
            method === "post"
              ? { params: BrowserCollectParams, query: CollectEntityQuery }
              : { params: BrowserCollectParams },
          responses:
            method === "post"
              ? {
                  ...collectResponses,
                  200: jsonContent(CollectWithEntitySchema, "Events stored (and the entity, with `_entity=1`)"),
                }
              : collectResponses,
        }),
        async (c) => {
          const account = c.get("account");
          const result = await collectBrowserEvents(
            c.env,
            account,
            await browserEvents(c),
            c.req.param("stream"),
            (work) => c.executionCtx.waitUntil(work),
          );
          if (c.req.header(PREFIX_HEADER)) setFirstPartyCookie(c, account, result.events);
          const query = c.req.url.includes("?") ? new URL(c.req.url).searchParams : null;
          const entity = wantsEntity(c.req.method, query)
            ? await entityAnswer(c.env, account, result.events)
            : undefined;
          if (entity) c.header("Cache-Control", "no-store");
          return c.json(
            {
              status: 200 as const,
              message: "success",
              data: { received: result.received, anonymous: result.anonymous },
              ...(entity && { entity }),
            },
            200,
          );
        },
      );
    }
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/collect/json/{stream}",
      tags: ["Collect"],
      summary: "Collect events from a server (token)",
      description:
        "Management endpoint for `admin` and `data_manager` tokens. Body: a JSON object or array of objects. Identifiers from this source are verified: they link and merge profiles. Limits: 1 MiB body, 200 events, 300 fields per event.",
      security: tokenSecurity,
      middleware: requireRole("admin", "data_manager"),
      request: { params: ServerCollectParams, query: ServerCollectQuery },
      responses: { ...collectResponses, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const type = mediaType(c);
      if (type !== "application/json")
        throw unsupportedType(`expected Content-Type application/json, got ${type || "none"}`);
      const body = parseJson(await readText(c, API_BODY_LIMIT));
      const result = await collectServerEvents(
        c.env,
        account,
        Array.isArray(body) ? body : [body],
        c.req.valid("param").stream,
      );
      return c.json(
        { status: 200 as const, message: "success", data: { received: result.received, anonymous: result.anonymous } },
        200,
      );
    },
  );
  app.route("/", tagCheckRoutes()); // GET /api/account/tag-check
  return app;
}
