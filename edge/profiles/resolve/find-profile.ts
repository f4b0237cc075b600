import type { AccountConfig } from "../../accounts/config";
import type { IdentityKey } from "../../identity/contract";
import { lookupLinks } from "../../identity/directory";
import type { Env } from "../../platform/env";
import type { ProfileView } from "../contract";
import { followAliases } from "../merge/aliases";
import { fieldOptions, isAlias, profileStub } from "../profile-stub";
import { forget, knownProfile, remember } from "./link-cache";

/**
 * Reads the profile an identifier points to (following merges), or null.
 * With `verifiedOnly`, an unverified link (an identifier a browser typed in)
 * answers null: it says nothing about who the person is.
 */
export async function findProfile(
  env: Env,
  account: AccountConfig,
  key: IdentityKey,
  verifiedOnly = false,
): Promise<ProfileView | null> {
  // The isolate cache does not record whether a link is verified: ask the directory then.
  const cached = verifiedOnly ? null : knownProfile(account.cid, [key]);
  if (cached) {
    const found = await readFrom(env, account, cached);
    if (found) return found;
    forget(account.cid, [key]); // erased meanwhile: ask the directory
  }
  const [link] = await lookupLinks(env, account.cid, [key]);
  if (!link || (verifiedOnly && !link.verified)) return null;
  const found = await readFrom(env, account, link.profile);
  // Only verified links are cached: they move only by merges, which aliases follow.
  if (found && link.verified) remember(account.cid, [key], found.id);
  return found;
}

/** Reads a profile, following merge aliases; null when empty or erased. */
async function readFrom(env: Env, account: AccountConfig, id: string): Promise<ProfileView | null> {
  const { answer } = await followAliases(
    id,
    (target) => profileStub(env, account.cid, target).read(fieldOptions(account)),
    (view) => (isAlias(view) ? view.alias : null),
  );
  return isAlias(answer) ? null : answer;
}
