import type { Context } from "hono";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { requireAccount } from "../accounts/config";
import { accountOfCall, requireRole } from "../accounts/auth";
import { API_BODY_LIMIT, COLLECT_BODY_LIMIT, mediaType, parseJson, readText } from "../platform/http/body";
import { fromJsonBody, fromLegacyFields, legacyParams, validateEvents } from "./parse";
import { applyBrowserCors, preflight } from "../accounts/browser-guard";
import { badRequest, unsupportedType, unprocessable } from "../platform/http/errors";
import { ingestEvents } from "../profiles/service";
import { countFirstVisits, discoverPageViews } from "../content/collect-hook";
import { CollectResultSchema, errorResponses, tokenSecurity } from "../platform/http/openapi";
import { CidSchema } from "../accounts/settings";
import type { AccountConfig } from "../accounts/config";
import { PREFIX_HEADER } from "../platform/http/prefix";
import { setCookie } from "hono/cookie";
import type { CollectEvent } from "../../types/wire";

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
  const query = new URL(c.req.url).searchParams;
  // The account id and a token (`?key=`) are never profile fields.
  if (c.req.method === "GET")
    return fromLegacyFields(
      legacyParams(new URL(c.req.url).search.slice(1)).filter(([k]) => k !== "cid" && k !== "key"),
    );
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
  const extra = [...query].filter(([k]) => !["cid", "key"].includes(k));
  if (extra.length)
    events = events.map((e) =>
      typeof e === "object" && e && !Array.isArray(e) ? { ...Object.fromEntries(extra), ...e } : e,
    );
  return events;
}

const collectResponses = {
  200: { description: "Events stored", content: { "application/json": { schema: CollectResultSchema } } },
  ...errorResponses(400, 403, 404, 413, 415),
};

/** Browser and server collect endpoints. */
export function registerCollect(app: OpenAPIHono<AppEnv>): void {
  const paths = ["/c/{cid}", "/c/{cid}/{stream}"] as const;
  for (const path of paths) {
    for (const method of ["get", "post"] as const) {
      app.openAPIRegistry.registerPath({
        method,
        path,
        tags: ["Collect"],
        summary:
          method === "get"
            ? "Collect one event from the query string (legacy pixel)"
            : "Collect events from the tag (JSON, text/plain JSON, or form)",
        description:
          "Browser endpoint: no token; calls from other origins must come from a domain on the account's allowlist. Body: one event, an array, or `{events: [...]}`; legacy Lytics wire format (flattened `a.b` keys, `k_json`, `_js`) is accepted. Limits: 256 KiB body, 200 events, 300 fields per event; legacy query strings and forms: 1,000 key=value pairs, 500 repeats of one key. Events carrying an `_eid` seen in the last 7 days are ignored.",
        request: { params: z.object({ cid: CidSchema, stream: z.string().optional() }) },
        responses: collectResponses,
      });
    }
  }
  const handler = async (c: Context<AppEnv>) => {
    const account = await requireAccount(c.env, c.req.param("cid")!);
    applyBrowserCors(c, account);
    const parsed = validateEvents(await browserEvents(c), c.req.param("stream"));
    if (!parsed.ok) throw unprocessable("the events are not valid; nothing was stored", parsed.errors);
    await discoverPageViews(c.env, account, parsed.events);
    const result = await ingestEvents(c.env, account, parsed.events, false);
    await countFirstVisits(c.env, account, result.profiles);
    if (c.req.header(PREFIX_HEADER)) setFirstPartyCookie(c, account, parsed.events);
    return c.json({
      status: 200 as const,
      message: "success",
      data: { received: result.received, anonymous: result.anonymous },
    });
  };
  const options = async (c: Context<AppEnv>) => preflight(c, await requireAccount(c.env, c.req.param("cid")!));
  for (const path of ["/c/:cid", "/c/:cid/:stream"]) {
    app.on(["GET", "POST"], path, handler);
    app.options(path, options);
  }

  const server = createRoute({
    method: "post",
    path: "/collect/json/{stream}",
    tags: ["Collect"],
    summary: "Collect events from a server (token)",
    description:
      "Management endpoint for `admin` and `data_manager` tokens. Body: a JSON object or array of objects. Identifiers from this source are verified: they link and merge profiles. Limits: 1 MiB body, 200 events, 300 fields per event.",
    security: tokenSecurity,
    request: {
      params: z.object({ stream: z.string().min(1).max(64) }),
      query: z.object({ cid: CidSchema.optional() }),
    },
    responses: { ...collectResponses, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
  });
  app.use("/collect/json/*", requireRole("admin", "data_manager"));
  app.openapi(server, async (c) => {
    const account = await accountOfCall(c);
    const type = mediaType(c);
    if (type !== "application/json")
      throw unsupportedType(`expected Content-Type application/json, got ${type || "none"}`);
    const body = parseJson(await readText(c, API_BODY_LIMIT));
    const parsed = validateEvents(Array.isArray(body) ? body : [body], c.req.valid("param").stream);
    if (!parsed.ok) throw unprocessable("the events are not valid; nothing was stored", parsed.errors);
    const result = await ingestEvents(c.env, account, parsed.events, true);
    return c.json(
      { status: 200 as const, message: "success", data: { received: result.received, anonymous: result.anonymous } },
      200,
    );
  });
}
