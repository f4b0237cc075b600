import type { CollectEvent } from "../../types/wire";
import type { Env } from "../platform/env";
import type { IdentityKey } from "../profiles/profile-object";
import { accountStub } from "../accounts/config";
import { base64url, constantTimeEqual } from "../platform/encoding";
import type { EventIdentifiers } from "./identifiers";

/**
 * Signed identities: the site's backend vouches that a browser belongs to
 * a person by signing the identifier — base64url(HMAC-SHA256(secret,
 * "<field>:<value>")) — and the page sends it with the event as
 * `_idsig: { <field>: <signature> }`. A browser identifier with a valid
 * signature counts as verified: it may link to (and merge with) the
 * person's existing profile.
 */

const secrets = new Map<string, { value: string | null; expires: number }>();
/** How long an isolate keeps an account's identity secret (rotation takes effect within it elsewhere). */
export const SECRET_CACHE_MS = 5_000;

async function hmac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
  return base64url(sig);
}

/** The signature of an identifier under a secret. */
export const signIdentity = (secret: string, key: IdentityKey): Promise<string> =>
  hmac(secret, `${key.field}:${key.value}`);

/** Forgets cached secrets (after a rotation through this isolate). */
export const forgetSecrets = (): void => secrets.clear();

async function secretOf(env: Env, cid: string): Promise<string | null> {
  const hit = secrets.get(cid);
  if (hit && hit.expires > Date.now()) return hit.value;
  const value = await accountStub(env, cid).identitySecret(false);
  secrets.set(cid, { value, expires: Date.now() + SECRET_CACHE_MS });
  return value;
}

/**
 * Promotes the event's weak (browser-typed) identifiers that carry a valid
 * signature to strong ones. Comparison is constant-time.
 */
export async function verifySignedIdentities(
  env: Env,
  cid: string,
  event: CollectEvent,
  ids: EventIdentifiers,
): Promise<EventIdentifiers> {
  const sigs = event._idsig;
  if (!sigs || typeof sigs !== "object" || Array.isArray(sigs) || ids.weak.length === 0) return ids;
  const secret = await secretOf(env, cid);
  if (!secret) return ids;
  const strong = [...ids.strong];
  const weak: IdentityKey[] = [];
  for (const key of ids.weak) {
    const given = (sigs as Record<string, unknown>)[key.field];
    if (typeof given === "string" && constantTimeEqual(given, await signIdentity(secret, key))) strong.push(key);
    else weak.push(key);
  }
  return { strong, weak };
}
