import type { IdentityKey } from "../../identity/contract";
import { IsolateCache } from "../../platform/isolate-cache";

/**
 * Identity links this isolate has seen, so a returning visitor's events go
 * straight to their profile. A stale entry is harmless: a merged-away
 * profile answers with its alias and an erased one with a tombstone, and
 * either way the event follows to the right place.
 */
/** How long an isolate trusts a cached identity link. */
export const LINK_CACHE_MS = 60_000;
const linkCache = new IsolateCache<string>(LINK_CACHE_MS, 100_000);
const linkKey = (cid: string, k: IdentityKey) => `${cid}\u0000${k.field}\u0000${k.value}`;

/** The profile every key points to in this isolate's cache, or null (a key unknown, or keys disagree). */
export function knownProfile(cid: string, keys: IdentityKey[]): string | null {
  if (!keys.length) return null;
  const now = Date.now();
  let found: string | null = null;
  for (const k of keys) {
    const hit = linkCache.get(linkKey(cid, k), now);
    if (hit === undefined || (found && hit !== found)) return null;
    found = hit;
  }
  return found;
}

/** Caches that `keys` point to `profile`. */
export function remember(cid: string, keys: IdentityKey[], profile: string): void {
  for (const k of keys) linkCache.set(linkKey(cid, k), profile);
}

/** Drops cached links of `keys` (erased or re-resolved). */
export function forget(cid: string, keys: IdentityKey[]): void {
  for (const k of keys) linkCache.delete(linkKey(cid, k));
}
