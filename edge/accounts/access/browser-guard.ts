import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { requireAccount, type AccountConfig } from "../settings/config";
import type { z } from "@hono/zod-openapi";
import { badRequest, forbidden } from "../../platform/http/errors";
import { zodErrors } from "../../platform/http/validation";
import { takeToken } from "../../platform/http/rate-limit";

/**
 * Whether `host` is covered by the allowlist: an entry `example.com` (or
 * `*.example.com`) covers that host and every sub-domain of it.
 */
export function hostAllowed(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((entry) => {
    const d = entry.toLowerCase().replace(/^\*\./, "");
    return h === d || h.endsWith(`.${d}`);
  });
}

/** Loopback hosts: a bare entry for them admits any scheme and port (local development). */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether an origin is covered by the allowlist, scheme and port included.
 * An entry with a scheme (`http://staging.example.com:8080`) admits that
 * scheme and port only; a bare entry (`example.com`, `*.example.com`)
 * admits `https` on the default port only, except loopback hosts.
 */
export function originAllowed(origin: URL, domains: readonly string[]): boolean {
  const scheme = origin.protocol.slice(0, -1);
  return domains.some((entry) => {
    const m = /^(https?):\/\/(.+?)(?::(\d+))?$/i.exec(entry);
    if (m) {
      const port = m[3] && Number(m[3]) !== (m[1]!.toLowerCase() === "https" ? 443 : 80) ? m[3] : "";
      return scheme === m[1]!.toLowerCase() && origin.port === port && hostAllowed(origin.hostname, [m[2]!]);
    }
    if (!hostAllowed(origin.hostname, [entry])) return false;
    return LOOPBACK.has(origin.hostname) || (scheme === "https" && origin.port === "");
  });
}

/**
 * Checks a browser call against the account's domain allowlist and sets the
 * CORS response headers. Calls without an `Origin` (same-origin GETs,
 * servers, `<img>` pixels) pass; a page on the worker's own origin passes;
 * `Origin: null` is refused; any other origin must be on the list (scheme,
 * host and port, see {@link originAllowed}), else 403. Every browser call also
 * takes a token from the account's rate limit (429 past it).
 */
export function applyBrowserCors(c: Context, account: AccountConfig): void {
  takeToken(`browser:${account.cid}`, account.rate_limit_per_second);
  const origin = c.req.header("origin");
  if (!origin) return;
  // Sandboxed frames, file: pages and some redirects send `null`: nothing to check it against.
  if (origin === "null") throw forbidden("Origin null is not allowed; serve the page from an allowlisted origin");
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    throw forbidden("malformed Origin header");
  }
  const self = new URL(c.req.url).origin;
  if (origin !== self && !originAllowed(parsed, account.domains)) {
    throw forbidden(`origin ${origin} is not on the allowlist of account "${account.cid}"`);
  }
  c.header("Access-Control-Allow-Origin", origin);
  c.header("Access-Control-Allow-Credentials", "true");
  c.header("Vary", "Origin", { append: true });
}

/** Answers a CORS preflight for a browser endpoint. */
export function preflight(c: Context, account: AccountConfig): Response {
  applyBrowserCors(c, account);
  c.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  c.header("Access-Control-Allow-Headers", c.req.header("access-control-request-headers") ?? "content-type");
  c.header("Access-Control-Max-Age", "86400");
  return c.body(null, 204);
}

/**
 * Middleware of a browser endpoint: the account it names (the `:cid` path
 * parameter, or `?cid=` with `from: "query"`) is looked up (404 when
 * unknown), then {@link applyBrowserCors} (allowlist, CORS headers, rate
 * limit); the account is `c.get("account")`. With `check`, malformed path
 * parameters (or query) are refused first (400), as the route's own
 * validation would.
 */
export function browserGuard(check?: z.ZodTypeAny, from: "path" | "query" = "path"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const checked = check?.safeParse(from === "path" ? c.req.param() : c.req.query());
    if (checked && !checked.success) throw badRequest("the request is not valid", zodErrors(checked.error));
    await admitBrowserCall(c, (from === "path" ? c.req.param("cid") : c.req.query("cid")) ?? "");
    await next();
  };
}

/**
 * What {@link browserGuard} does once the request is known to be well formed,
 * for a handler that runs it itself after its route's own validation (one
 * validation per request instead of two): the account `cid` (404 when
 * unknown), then {@link applyBrowserCors}; the account is also
 * `c.get("account")`.
 */
export async function admitBrowserCall(c: Context<AppEnv>, cid: string): Promise<AccountConfig> {
  const account = await requireAccount(c.env, cid);
  applyBrowserCors(c, account);
  c.set("account", account);
  return account;
}

/** The CORS preflight (`OPTIONS`) handler of a browser endpoint whose path names the account (`:cid`). */
export async function browserPreflight(c: Context<AppEnv>): Promise<Response> {
  return preflight(c, await requireAccount(c.env, c.req.param("cid") ?? ""));
}
