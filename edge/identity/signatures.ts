import type { CollectEvent } from "../../types/wire";
import type { Env } from "../platform/env";
import type { IdentityKey } from "./contract";
import { identitySecretOf } from "../accounts/settings/identity-secret";
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
  const secret = await identitySecretOf(env, cid);
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
