import type { CollectEvent } from "../../types/wire";
import type { Env } from "../platform/env";
import { IsolateCache } from "../platform/isolate-cache";
import { followAliases } from "./merge/aliases";
import { stubOf } from "../platform/stub";
import type { AliasAnswer, FieldOptions, ProfileRpc, ProfileSnapshot, ProfileView } from "./contract";
import type { IdentityKey } from "../identity/contract";
import type { AccountConfig } from "../accounts/config";
import { claimLinks, lookupLinks, repointLinks, unlinkProfiles } from "../identity/directory";
import { identifiersOf, identitySignature, type EventIdentifiers } from "../identity/identifiers";
import { verifySignedIdentities } from "../identity/signatures";

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

function knownProfile(cid: string, keys: IdentityKey[]): string | null {
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

function remember(cid: string, keys: IdentityKey[], profile: string): void {
  for (const k of keys) linkCache.set(linkKey(cid, k), profile);
}

function forget(cid: string, keys: IdentityKey[]): void {
  for (const k of keys) linkCache.delete(linkKey(cid, k));
}

/** A merge the guard rails refused: the people would hold too many identifiers of one kind. */
export class MergeRefused extends Error {
  constructor(
    readonly profiles: string[],
    reason: string,
  ) {
    super(reason);
  }
}

/** The object of profile `id` in account `cid`. */
export function profileStub(env: Env, cid: string, id: string): ProfileRpc {
  return stubOf<ProfileRpc>(env.PROFILE, `${cid}/${id}`);
}

/** The field settings profile objects apply when they compute fields. */
export function fieldOptions(account: AccountConfig): FieldOptions {
  return {
    fields: account.fields,
    segmentsVersion: account.segments_version ?? 0,
    triggerFields: account.trigger_fields ?? [],
  };
}

const isAlias = (v: ProfileView | AliasAnswer | null): v is AliasAnswer => v !== null && "alias" in v;

/** Follows merge aliases from `id` to the surviving profile id. */
async function survivor(env: Env, cid: string, id: string): Promise<string> {
  const found = await followAliases(
    id,
    (current) => profileStub(env, cid, current).info(),
    (info) => info.alias,
  );
  return found.id;
}

/**
 * Merges profiles into one. The oldest survives (ties and empty profiles
 * broken by id, so concurrent merges of the same people agree); every other
 * is retired into it, its data absorbed and its identifiers re-pointed.
 * Idempotent: repeating a merge changes nothing. When a concurrent merge
 * moved a profile elsewhere first, the merge follows it to its survivor.
 */
export async function mergeProfiles(
  env: Env,
  cid: string,
  ids: string[],
  limit = Infinity,
  attempt = 0,
): Promise<string> {
  const live = [...new Set(await Promise.all(ids.map((id) => survivor(env, cid, id))))];
  if (live.length === 1) return live[0]!;
  const infos = await Promise.all(
    live.map(async (id) => {
      const info = await profileStub(env, cid, id).info();
      return { id, created: info.created ?? Infinity, counts: info.idCounts };
    }),
  );
  const totals: Record<string, number> = {};
  for (const { counts } of infos)
    for (const [field, n] of Object.entries(counts)) totals[field] = (totals[field] ?? 0) + n;
  const over = Object.entries(totals).find(([, n]) => n > limit);
  if (over)
    throw new MergeRefused(live, `merging would give one person ${over[1]} ${over[0]} identifiers (limit ${limit})`);
  infos.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
  let master = infos[0]!.id;
  for (const { id } of infos.slice(1)) {
    let snapshot: ProfileSnapshot;
    try {
      snapshot = await profileStub(env, cid, id).retire(master);
    } catch (err) {
      // Merged into another profile meanwhile: start over from the survivors.
      if (attempt < 3) return mergeProfiles(env, cid, [master, ...ids], limit, attempt + 1);
      throw err;
    }
    const absorbed = await followAliases(
      master,
      (target) => profileStub(env, cid, target).absorb(cid, target, snapshot),
      (answer) => (isAlias(answer) ? answer.alias : null),
    );
    master = absorbed.id;
    await repointLinks(env, cid, snapshot.identifiers, id, master);
  }
  return master;
}

/**
 * Finds (or creates) the profile of one set of identifiers and links them.
 * Strong keys decide the profile and merge profiles they point to; weak
 * keys join the profile only where no one else holds them.
 * Returns the profile id and the keys now linked to it.
 */
async function resolve(
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
async function withPrevious(env: Env, cid: string, ids: EventIdentifiers): Promise<EventIdentifiers> {
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

/** Result of ingesting a request's events. */
export interface IngestResult {
  /** Events received (duplicates included). */
  received: number;
  /** Profiles the events went to, in order. */
  profiles: ProfileView[];
  /** Events that carried no identifier and were not stored. */
  anonymous: number;
}

/**
 * Stores events on their people's profiles. Consecutive events with the
 * same identifiers go to their profile in one call, in order; an event with
 * no usable identifier is counted and skipped.
 */
export async function ingestEvents(
  env: Env,
  account: AccountConfig,
  events: CollectEvent[],
  verified: boolean,
): Promise<IngestResult> {
  const result: IngestResult = { received: events.length, profiles: [], anonymous: 0 };
  let i = 0;
  while (i < events.length) {
    let ids = identifiersOf(events[i]!, account, verified);
    const sig = identitySignature(ids);
    const signed = (e: CollectEvent) => !verified && e._idsig !== undefined;
    let j = i + 1;
    // Consecutive events of the same person share one call; a signed event stands alone.
    if (!signed(events[i]!))
      while (
        j < events.length &&
        !signed(events[j]!) &&
        identitySignature(identifiersOf(events[j]!, account, verified)) === sig
      )
        j++;
    else ids = await verifySignedIdentities(env, account.cid, events[i]!, ids);
    const group = events.slice(i, j);
    i = j;
    ids = await withPrevious(env, account.cid, ids);
    if (ids.strong.length === 0) {
      result.anonymous += group.length;
      continue;
    }
    const resolved = await resolve(env, account, ids, verified);
    let keys = resolved.keys;
    const { answer } = await followAliases(
      resolved.id,
      async (target): Promise<{ view: ProfileView } | { next: string }> => {
        const answer = await profileStub(env, account.cid, target).ingest(
          account.cid,
          target,
          group,
          keys,
          fieldOptions(account),
        );
        if ("gone" in answer) {
          // Erased since this isolate cached the link: resolve afresh.
          forget(account.cid, ids.strong);
          const again = await resolve(env, account, ids, verified);
          keys = again.keys;
          return { next: again.id };
        }
        if (isAlias(answer)) {
          remember(account.cid, keys, answer.alias);
          return { next: answer.alias };
        }
        return { view: answer };
      },
      (step) => ("next" in step ? step.next : null),
    );
    if ("view" in answer) result.profiles.push(answer.view);
  }
  return result;
}

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
