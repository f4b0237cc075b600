import type { AccountConfig } from "../../accounts/config";
import type { IdentityKey } from "../../identity/contract";
import { unlinkProfiles } from "../../identity/directory";
import type { Env } from "../../platform/env";
import { profileStub } from "../profile-stub";
import { findProfile } from "../resolve/find-profile";
import { forget } from "../resolve/link-cache";

/** Everything held about a person: the surviving profile and each merged one. */
export async function exportPerson(env: Env, account: AccountConfig, key: IdentityKey) {
  const profile = await findProfile(env, account, key);
  if (!profile) return null;
  const dumps = await Promise.all(
    [profile.id, ...profile.merged].map((id) => profileStub(env, account.cid, id).dump()),
  );
  return { profile, stored: dumps.filter((d) => d !== null) };
}

/**
 * Erases a person (GDPR/CCPA): the surviving profile and every profile
 * merged into it, and every identity link to them. Afterwards no endpoint
 * knows them, and a new event starts a fresh profile. Returns the erased
 * profile ids, or null when nobody matched.
 */
export async function erasePerson(env: Env, account: AccountConfig, key: IdentityKey): Promise<string[] | null> {
  const profile = await findProfile(env, account, key);
  if (!profile) return null;
  const ids = [profile.id, ...profile.merged];
  forget(account.cid, [...profile.identifiers, key]);
  await unlinkProfiles(env, account.cid, ids);
  await Promise.all(ids.map((id) => profileStub(env, account.cid, id).erase()));
  return ids;
}
