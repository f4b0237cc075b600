import type { Env } from "../platform/env";
import { fnv1a } from "../platform/sharding";
import { stubOf } from "../platform/stub";
import type { CandidateLink, IdentityKey, IdentityRpc, Link, ResolvedLink } from "./contract";

/** Shards of one account's identity directory. */
export const IDENTITY_SHARDS = 64;

/** Shard number of an identifier. */
export function shardOf(key: IdentityKey): number {
  return fnv1a(`${key.field}\u0000${key.value}`) % IDENTITY_SHARDS;
}

/** Identity shard `n` of account `cid`. */
export function shard(env: Env, cid: string, n: number): IdentityRpc {
  return stubOf<IdentityRpc>(env.IDENTITY, `${cid}/${n}`);
}

/** Groups keys by shard, keeping each key's position in the input. */
function byShard(keys: IdentityKey[]): Map<number, { key: IdentityKey; index: number }[]> {
  const groups = new Map<number, { key: IdentityKey; index: number }[]>();
  keys.forEach((key, index) => {
    const n = shardOf(key);
    let g = groups.get(n);
    if (!g) groups.set(n, (g = []));
    g.push({ key, index });
  });
  return groups;
}

/** Where each key points, asking each shard once, in parallel. */
export async function lookupLinks(env: Env, cid: string, keys: IdentityKey[]): Promise<(Link | null)[]> {
  const out: (Link | null)[] = new Array(keys.length).fill(null);
  await Promise.all(
    [...byShard(keys)].map(async ([n, group]) => {
      const links = await shard(env, cid, n).lookup(group.map((g) => g.key));
      group.forEach((g, i) => (out[g.index] = links[i] ?? null));
    }),
  );
  return out;
}

/**
 * For many people at once (e.g. a bulk collect call): where each key points,
 * or a new verified link to its candidate profile when nobody holds it yet.
 * One call per shard, in parallel, whatever the number of people.
 */
export async function lookupOrClaimLinks(env: Env, cid: string, entries: CandidateLink[]): Promise<ResolvedLink[]> {
  const out: ResolvedLink[] = new Array(entries.length);
  const groups = byShard(entries.map((e) => e.key));
  await Promise.all(
    [...groups].map(async ([n, group]) => {
      const resolved = await shard(env, cid, n).lookupOrClaim(group.map((g) => entries[g.index]!));
      group.forEach((g, i) => (out[g.index] = resolved[i]!));
    }),
  );
  return out;
}

/** Claims keys for a profile; returns where each points afterwards. */
export async function claimLinks(
  env: Env,
  cid: string,
  keys: IdentityKey[],
  profile: string,
  verified: boolean,
): Promise<Link[]> {
  const out: Link[] = new Array(keys.length);
  await Promise.all(
    [...byShard(keys)].map(async ([n, group]) => {
      const links = await shard(env, cid, n).claim(
        group.map((g) => g.key),
        profile,
        verified,
      );
      group.forEach((g, i) => (out[g.index] = links[i]!));
    }),
  );
  return out;
}

/** Re-points keys from one profile to another after a merge. */
export async function repointLinks(
  env: Env,
  cid: string,
  keys: IdentityKey[],
  from: string,
  to: string,
): Promise<void> {
  await Promise.all(
    [...byShard(keys)].map(([n, group]) =>
      shard(env, cid, n).repoint(
        group.map((g) => g.key),
        from,
        to,
      ),
    ),
  );
}

/**
 * Removes every link to the given profiles from every shard of the account
 * (erasure is rare; asking all shards also catches links a failed write left).
 */
export async function unlinkProfiles(env: Env, cid: string, profiles: string[]): Promise<void> {
  await Promise.all(Array.from({ length: IDENTITY_SHARDS }, (_, n) => shard(env, cid, n).unlink(profiles)));
}
