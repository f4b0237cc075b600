import type { Context } from "hono";
import type { AccountConfig } from "./config";
import { forbidden } from "../platform/http/errors";
import { takeToken } from "../platform/http/rate-limit";

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

/**
 * Checks a browser call against the account's domain allowlist and sets the
 * CORS response headers. Calls without an `Origin` (same-origin GETs,
 * servers, `<img>` pixels) pass; a page on the worker's own origin passes;
 * any other origin must be on the list, else 403. Every browser call also
 * takes a token from the account's rate limit (429 past it).
 */
export function applyBrowserCors(c: Context, account: AccountConfig): void {
  takeToken(`browser:${account.cid}`, account.rate_limit_per_second);
  const origin = c.req.header("origin");
  if (!origin || origin === "null") return;
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    throw forbidden("malformed Origin header");
  }
  const self = new URL(c.req.url).origin;
  if (origin !== self && !hostAllowed(host, account.domains)) {
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
