/**
 * Rows of collections that have a profile identifier feed the person's
 * profile: each row becomes a verified server-side event carrying the
 * profile identifier, the user identifiers and the user attributes, so it
 * links and merges profiles like `/collect/json` does, and the person's
 * event matches are recorded.
 */
import type { CollectEvent, FieldValue } from "../../types/wire";
import type { Env } from "../platform/env";
import { findAccount, type AccountConfig } from "../accounts/config";
import type { CollectionDef } from "./model";
import type { FeedItem } from "./contract";
import { matchesStub } from "./stubs";
import { identifiersOf, identitySignature } from "../identity/identifiers";
import { ingestEvents } from "../profiles/ingest/ingest-events";

/** A short stable hash of a text (53 bits, base 36). */
export function textHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The profile event of a row, or null when the collection has no profile
 * identifier or the row carries no identifier value. The event id is
 * derived from the row's content, so storing the same row again does not
 * count twice on the profile.
 */
export function feedItem(
  def: CollectionDef,
  key: string,
  data: Record<string, unknown>,
  matches: string[],
): FeedItem | null {
  if (!def.profileIdentifier) return null;
  const ids = [def.profileIdentifier, ...def.userIdentifiers];
  if (!ids.some((f) => data[f] !== null && data[f] !== undefined && data[f] !== "")) return null;
  const fields = new Set([...(def.userAttributes ?? Object.keys(data)), ...ids]);
  const event: CollectEvent = { _e: def.name, _eid: `c:${def.id}:${key}:${textHash(JSON.stringify(data))}` };
  for (const f of fields) {
    const v = data[f];
    if (v !== null && v !== undefined) event[f] = v as FieldValue;
  }
  return { event, matches };
}

/** The account as the collection's rows identify people: its identifier fields plus the collection's. */
export function identifyingAccount(account: AccountConfig, def: CollectionDef): AccountConfig {
  const extra = [def.profileIdentifier, ...def.userIdentifiers].filter((f): f is string => !!f);
  return { ...account, identifier_fields: [...new Set([...account.identifier_fields, ...extra])] };
}

/**
 * Stores feed items on profiles, in order. Consecutive items of the same
 * identifiers go in one call; matches are recorded on the profile the
 * items reached. Throws when a profile could not be reached (the caller
 * keeps the items to retry; event ids make a retry harmless).
 */
export async function deliverFeed(env: Env, cid: string, def: CollectionDef, items: FeedItem[]): Promise<void> {
  const found = await findAccount(env, cid);
  if (!found || !items.length) return;
  const account = identifyingAccount(found, def);
  let i = 0;
  while (i < items.length) {
    const sig = identitySignature(identifiersOf(items[i]!.event, account, true));
    let j = i + 1;
    while (j < items.length && identitySignature(identifiersOf(items[j]!.event, account, true)) === sig) j++;
    const group = items.slice(i, j);
    i = j;
    const result = await ingestEvents(
      env,
      account,
      group.map((g) => g.event),
      true,
    );
    const profile = result.profiles[0];
    const names = [...new Set(group.flatMap((g) => g.matches))];
    if (profile && names.length) await matchesStub(env, cid, profile.id).recordMatches(names, Date.now());
  }
}
