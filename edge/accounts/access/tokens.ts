import type { Env } from "../../platform/env";
import type { TokenRecord } from "../contract";
import { IsolateCache } from "../../platform/isolate-cache";
import { accountStub } from "../settings/config";
import { accountExists } from "../settings/directory";
import { base64url, randomBytes, sha256Hex } from "../../platform/encoding";

/** Prefix of account tokens: `pl_<cid>.<secret>`. */
const PREFIX = "pl_";
/** How long an isolate trusts a verified token before asking again (deletions take effect within it elsewhere). */
export const TOKEN_CACHE_MS = 5_000;

const cache = new IsolateCache<TokenRecord | null>(TOKEN_CACHE_MS);

/** SHA-256 of a token, hex. */
export async function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/** A new random token for an account. */
export function newToken(cid: string): string {
  const secret = base64url(randomBytes(32));
  return `${PREFIX}${cid}.${secret}`;
}

/** The account a token claims to belong to, or null if it is not an account token. */
export function tokenAccount(token: string): string | null {
  if (!token.startsWith(PREFIX)) return null;
  const dot = token.lastIndexOf(".");
  return dot > PREFIX.length ? token.slice(PREFIX.length, dot) : null;
}

/** Verifies an account token (cached per isolate). */
export async function verifyAccountToken(
  env: Env,
  token: string,
): Promise<{ cid: string; record: TokenRecord } | null> {
  const cid = tokenAccount(token);
  // A token of an unknown account is refused without calling (and so creating) that account's object.
  if (!cid || !(await accountExists(env, cid))) return null;
  const hash = await hashToken(token);
  const now = Date.now();
  let record = cache.get(hash, now);
  if (record === undefined) {
    record = await accountStub(env, cid).verifyToken(hash);
    cache.set(hash, record, TOKEN_CACHE_MS, now);
  }
  if (record?.expires && Date.parse(record.expires) <= now) return null;
  return record ? { cid, record } : null;
}

/** Forgets cached verifications (after a token is deleted through this isolate). */
export function forgetTokens(): void {
  cache.clear();
}
