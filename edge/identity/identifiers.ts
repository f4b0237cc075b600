import type { CollectEvent } from "../../types/wire";
import type { IdentityKey } from "./contract";
import type { AccountConfig } from "../accounts/settings/config";

/** Longest identifier value used for identity links. */
export const MAX_IDENTIFIER_LENGTH = 256;

/** Identifiers an event carries, split by how far they may be trusted. */
export interface EventIdentifiers {
  /** Keys whose links decide the profile: `_uid`/`_uido`, or all keys of a verified source. */
  strong: IdentityKey[];
  /** Keys a browser typed in: linked only where nobody owns them yet. */
  weak: IdentityKey[];
  /**
   * A browser's previous cookie id (`_uido`, sent once after `setid`): an
   * unverified claim, followed only while its profile is anonymous.
   */
  previous?: IdentityKey;
}

/** Canonical form of an identifier value, or null when it identifies nobody. */
export function normalizeIdentifier(field: string, raw: unknown, account: AccountConfig): string | null {
  if (typeof raw !== "string" && typeof raw !== "number") return null;
  // A number JSON could not hold exactly (beyond 2^53) may be someone else's id once rounded.
  if (typeof raw === "number" && !Number.isSafeInteger(raw)) return null;
  let value = String(raw).trim();
  if (field === "email") value = value.toLowerCase();
  if (!value || value.length > MAX_IDENTIFIER_LENGTH) return null;
  const lower = value.toLowerCase();
  if (account.placeholder_values.some((p) => p.toLowerCase() === lower)) return null;
  return value;
}

/**
 * The identity keys of an event. `verified` is true for server-side
 * sources (token-authenticated collect): every identifier is then strong.
 * From browsers only the cookie id is strong.
 */
export function identifiersOf(event: CollectEvent, account: AccountConfig, verified: boolean): EventIdentifiers {
  const strong: IdentityKey[] = [];
  const weak: IdentityKey[] = [];
  const seen = new Set<string>();
  const add = (field: string, raw: unknown) => {
    const value = normalizeIdentifier(field, raw, account);
    if (value === null) return;
    const sig = `${field}\u0000${value}`;
    if (seen.has(sig)) return;
    seen.add(sig);
    (verified || field === "_uid" ? strong : weak).push({ field, value });
  };
  for (const field of account.identifier_fields) add(field, event[field]);
  if (!account.identifier_fields.includes("_uid")) return { strong, weak };
  if (verified) add("_uid", event._uido);
  else {
    const value = normalizeIdentifier("_uid", event._uido, account);
    if (value !== null && !seen.has(`_uid\u0000${value}`)) return { strong, weak, previous: { field: "_uid", value } };
  }
  return { strong, weak };
}

/** A stable signature of an event's identifiers, to group events by person. */
export function identitySignature(ids: EventIdentifiers): string {
  return JSON.stringify([ids.strong, ids.weak, ids.previous ?? null]);
}
