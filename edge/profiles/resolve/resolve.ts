import type { AccountConfig } from "../../accounts/config";
import type { IdentityKey } from "../../identity/contract";
import { claimLinks, lookupLinks } from "../../identity/directory";
import type { EventIdentifiers } from "../../identity/identifiers";
import type { Env } from "../../platform/env";
import { MergeRefused, mergeProfiles, survivor } from "../merge/merge-profiles";
import { profileStub } from "../profile-stub";
import { knownProfile, remember } from "./link-cache";

/**
 * Finds (or creates) the profile of one set of identifiers and links them.
 * Strong keys decide the profile and merge profiles they point to; weak
 * keys join the profile only where no one else holds them.
 * Returns the profile id and the keys now linked to it.
 */
export async function resolve(
  env: Env,
  account: AccountConfig,
  ids: EventIdentifiers,
  verified: boolean,
): Promise<{ id: string; keys: IdentityKey[] }> {
  const cid = account.cid;
  // A returning visitor's cookie id: known to this isolate, no directory call.
  const cached = ids.weak.length === 0 ? knownProfile(cid, ids.strong) : null;
  if (cached) return { id: cached, keys: [...ids.strong] };
  const links = await lookupLinks(env, cid, ids.strong);
  const owners = new Set<string>();
  links.forEach((link) => {
    if (link && (link.verified || !verified)) owners.add(link.profile);
  });
  const limit = account.max_identifiers_per_kind;
  const first = links.find((l) => l && (l.verified || !verified))?.profile;
  let id = owners.size === 0 ? crypto.randomUUID() : first!;
  let refused: MergeRefused | null = null;
  const merge = async (candidates: string[]) => {
    try {
      id = await mergeProfiles(env, cid, candidates, limit);
    } catch (err) {
      if (!(err instanceof MergeRefused)) throw err;
      refused = err;
    }
  };
  if (owners.size > 1) await merge([...owners]);
  // The common case, a returning visitor: every strong key already points here, verified.
  const settled = owners.size === 1 && links.every((l) => l && l.profile === id && l.verified);
  let claimed = settled ? links.map((l) => l!) : await claimLinks(env, cid, ids.strong, id, true);
  const others = claimed.map((l) => l.profile).filter((p) => p !== id);
  if (others.length && !refused) {
    await merge([id, ...others]);
    claimed = await claimLinks(env, cid, ids.strong, id, true);
  }
  if (refused) {
    const r: MergeRefused = refused;
    await profileStub(env, cid, id).noteRefusedMerge(
      r.profiles.filter((p) => p !== id),
      r.message,
    );
  }
  // Keys owned by another person (a refused merge) stay theirs.
  const keys = ids.strong.filter((_, i) => claimed[i]!.profile === id);
  if (!refused) remember(cid, keys, id);
  if (ids.weak.length) {
    const weak = await claimLinks(env, cid, ids.weak, id, verified);
    ids.weak.forEach((k, i) => {
      if (weak[i]!.profile === id) keys.push(k);
    });
  }
  return { id, keys };
}

/**
 * A browser's `_uido` joins the event's strong keys only when the profile it
 * points to is anonymous (holds no identifier but cookie ids): an anonymous
 * history may move to the new cookie id, but an unverified claim never
 * merges people who hold other identifiers, nor hands their profile over.
 */
export async function withPrevious(env: Env, cid: string, ids: EventIdentifiers): Promise<EventIdentifiers> {
  const previous = ids.previous;
  if (!previous) return ids;
  const plain = { strong: ids.strong, weak: ids.weak };
  const [link] = await lookupLinks(env, cid, [previous]);
  if (!link) return plain;
  const { created, idCounts } = await profileStub(env, cid, await survivor(env, cid, link.profile)).info();
  // An erased (or never stored) profile has nothing to move: its cookie id must not join another person.
  const anonymous = created !== null && Object.keys(idCounts).every((field) => field === "_uid");
  return anonymous ? { strong: [...ids.strong, previous], weak: ids.weak } : plain;
}
