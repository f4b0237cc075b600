import type { Env } from "../../platform/env";
import { IsolateCache } from "../../platform/isolate-cache";
import { accountStub } from "./config";

/** How long an isolate keeps an account's identity secret (rotation takes effect within it elsewhere). */
export const SECRET_CACHE_MS = 5_000;

const secrets = new IsolateCache<string | null>(SECRET_CACHE_MS);

/**
 * The account's identity secret (the key the site's backend signs
 * identifiers with), through the isolate cache; null for an unknown account.
 */
export async function identitySecretOf(env: Env, cid: string): Promise<string | null> {
  const hit = secrets.get(cid);
  if (hit !== undefined) return hit;
  const value = await accountStub(env, cid).identitySecret(false);
  secrets.set(cid, value);
  return value;
}

/**
 * Creates the account's identity secret on first use, or replaces it
 * (`rotate`); the isolate cache forgets the old one at once.
 */
export async function issueIdentitySecret(env: Env, cid: string, rotate: boolean): Promise<string | null> {
  const secret = await accountStub(env, cid).identitySecret(rotate);
  if (rotate) secrets.delete(cid);
  return secret;
}
