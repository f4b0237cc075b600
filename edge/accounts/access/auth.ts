import type { Context, MiddlewareHandler } from "hono";
import type { Env } from "../../platform/env";
import type { AppEnv } from "../app-env";
import { findAccount, type AccountConfig } from "../settings/config";
import { badRequest, forbidden, notFound, unauthorized } from "../../platform/http/errors";
import { hashToken, tokenAccount, verifyAccountToken } from "./tokens";
import { checkThrottle } from "./token-throttle";
import { constantTimeEqual } from "../../platform/encoding";
import type { Role } from "./roles";
import type { AuthContext } from "../contract";

/** The token of a request: `Authorization: <token>`, `Bearer <token>`, `ApiKey <token>`, or `?key=`. */
export function tokenOf(c: Context): string | null {
  const header = c.req.header("authorization");
  if (header) return header.replace(/^(Bearer|ApiKey|Token)\s+/i, "").trim() || null;
  return c.req.query("key") ?? null;
}

/**
 * Middleware: authenticates the token and checks its role is one of
 * `roles` (401 without a valid token, 403 with the wrong role).
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = tokenOf(c);
    if (!token) throw unauthorized();
    c.set("auth", await authenticate(c.env, token, roles, clientAddress(c)));
    await next();
  };
}

/**
 * Middleware after {@link requireRole}: refuses (403) a token limited to
 * named attributes on a path that returns whole profiles (webhooks and
 * their backfill, exports, collections), where the limit cannot be applied.
 */
export function refuseAttributeLimited(what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("auth")?.attributes)
      throw forbidden(`a token limited to attributes cannot use ${what}; use a token without an attributes limit`);
    await next();
  };
}

/** The client's address as Cloudflare's edge reports it (`CF-Connecting-IP`), or null. */
export function clientAddress(c: Context): string | null {
  return c.req.header("cf-connecting-ip") ?? null;
}

/**
 * Verifies a token (the bootstrap ADMIN_TOKEN or an account token) and
 * its role: 401 when unknown or expired, 403 when the role is not enough,
 * 429 when wrong tokens from `client` or for the claimed account are
 * throttled (accounts/access/token-throttle.ts).
 */
export async function authenticate(
  env: Env,
  token: string,
  roles: readonly Role[],
  client: string | null = null,
): Promise<AuthContext> {
  const admin = env.ADMIN_TOKEN;
  let auth: AuthContext | null = null;
  if (admin && admin.length >= 16 && constantTimeEqual(token, admin))
    auth = { role: "admin", root: true, cid: null, attributes: null, tokenId: null };
  if (!auth) {
    const claimed = tokenAccount(token);
    const hash = await hashToken(token);
    const ticket = checkThrottle(client, claimed, hash);
    const found = await verifyAccountToken(env, token);
    if (found) ticket.succeeded();
    else ticket.failed();
    if (found)
      auth = {
        role: found.record.role,
        root: false,
        cid: found.cid,
        attributes: found.record.attributes,
        tokenId: found.record.id,
      };
  }
  if (!auth) throw unauthorized("the API token is not valid");
  if (!roles.includes(auth.role))
    throw forbidden(`this endpoint needs one of the roles ${roles.join(", ")}; the token has ${auth.role}`);
  return auth;
}

/**
 * The account a management call acts on: the token's own account, or for
 * the root token the `cid` query parameter (or `explicit`, e.g. from a body).
 */
export async function accountOfCall(c: Context<AppEnv>, explicit?: string): Promise<AccountConfig> {
  const auth = c.get("auth");
  const cid = explicit ?? c.req.query("cid") ?? c.req.query("account") ?? auth.cid;
  if (!cid) throw badRequest("name the account with ?cid=<account id>");
  if (auth.cid && auth.cid !== cid) throw forbidden(`the token belongs to account "${auth.cid}", not "${cid}"`);
  const account = await findAccount(c.env, cid);
  if (!account) throw notFound(`unknown account "${cid}"`);
  return account;
}
