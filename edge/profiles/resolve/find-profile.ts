import type { AccountConfig } from "../../accounts/settings/config";
import type { IdentityKey } from "../../identity/contract";
import { lookupLinks } from "../../identity/directory";
import type { Env } from "../../platform/env";
import type { AliasAnswer, ProfileEntity, ProfileRpc, ProfileView } from "../contract";
import { followAliases } from "../merge/aliases";
import { fieldOptions, profileStub } from "../profile-stub";
import { forget, knownProfile, remember } from "./link-cache";

/**
 * Reads the profile an identifier points to (following merges), or null.
 * With `verifiedOnly`, an unverified link (an identifier a browser typed in)
 * answers null: it says nothing about who the person is.
 */
export function findProfile(
  env: Env,
  account: AccountConfig,
  key: IdentityKey,
  verifiedOnly = false,
): Promise<ProfileView | null> {
  return findWith(env, account, key, verifiedOnly, (stub) => stub.read(fieldOptions(account)));
}

/**
 * Like {@link findProfile}, but answers only what a browser may be shown
 * (`_uids`, `fields`, the audiences): a small answer the profile object
 * keeps between reads until the person changes (`/personalize`).
 */
export function findEntity(
  env: Env,
  account: AccountConfig,
  key: IdentityKey,
  verifiedOnly: boolean,
  fields: readonly string[],
): Promise<ProfileEntity | null> {
  return findWith(env, account, key, verifiedOnly, (stub) => stub.entity(fieldOptions(account), fields));
}

async function findWith<A extends { id: string }>(
  env: Env,
  account: AccountConfig,
  key: IdentityKey,
  verifiedOnly: boolean,
  read: (stub: ProfileRpc) => Promise<A | AliasAnswer | null>,
): Promise<A | null> {
  // The isolate cache does not record whether a link is verified: ask the directory then.
  const cached = verifiedOnly ? null : knownProfile(account.cid, [key]);
  if (cached) {
    const found = await readFrom(env, account, cached, read);
    if (found) return found;
    forget(account.cid, [key]); // erased meanwhile: ask the directory
  }
  const [link] = await lookupLinks(env, account.cid, [key]);
  if (!link || (verifiedOnly && !link.verified)) return null;
  const found = await readFrom(env, account, link.profile, read);
  // Only verified links are cached: they move only by merges, which aliases follow.
  if (found && link.verified) remember(account.cid, [key], found.id);
  return found;
}

/** The profile an answer says this one was merged into, or null. */
const aliasOf = (answer: object | null): string | null =>
  answer !== null && "alias" in answer ? (answer as AliasAnswer).alias : null;

/** Reads a profile, following merge aliases; null when empty or erased. */
async function readFrom<A extends object>(
  env: Env,
  account: AccountConfig,
  id: string,
  read: (stub: ProfileRpc) => Promise<A | AliasAnswer | null>,
): Promise<A | null> {
  const { answer } = await followAliases(id, (target) => read(profileStub(env, account.cid, target)), aliasOf);
  return aliasOf(answer) === null ? (answer as A | null) : null;
}
