import type { Env } from "../platform/env";
import type { ForgetMessage, MembershipMessage } from "../profiles/contract";
import { stubOf } from "../platform/stub";
import type { AudienceIndexRpc } from "./contract";
import { fnv1a, groupBy } from "../platform/sharding";

/** Shards of one account's audience index. */
export const AUDIENCE_SHARDS = 16;

/** Shard of a profile in the audience index. */
export const indexShardOf = (profile: string): number => fnv1a(profile) % AUDIENCE_SHARDS;

/** The index shard `n` of account `cid`. */
export function indexShard(env: Env, cid: string, n: number): AudienceIndexRpc {
  return stubOf<AudienceIndexRpc>(env.AUDIENCES, `${cid}/${n}`);
}

/** Exact audience sizes of an account, as of the last processed queue batch. */
export async function audienceSizes(env: Env, cid: string, slugs?: string[]): Promise<Record<string, number>> {
  const parts = await Promise.all(
    Array.from({ length: AUDIENCE_SHARDS }, (_, n) => indexShard(env, cid, n).counts(slugs)),
  );
  const out: Record<string, number> = {};
  for (const part of parts) for (const [slug, n] of Object.entries(part)) out[slug] = (out[slug] ?? 0) + n;
  return out;
}

/** Every member profile id of an audience, shard by shard, page by page. */
export async function* audienceMembers(env: Env, cid: string, slug: string, page = 500): AsyncGenerator<string[]> {
  for (let n = 0; n < AUDIENCE_SHARDS; n++) {
    let after = "";
    for (;;) {
      const ids = await indexShard(env, cid, n).members(slug, after, page);
      if (!ids.length) break;
      yield ids;
      after = ids[ids.length - 1]!;
      if (ids.length < page) break;
    }
  }
}

/** Removes a deleted audience from every shard. */
export async function dropAudience(env: Env, cid: string, slug: string): Promise<void> {
  await Promise.all(Array.from({ length: AUDIENCE_SHARDS }, (_, n) => indexShard(env, cid, n).dropAudience(slug)));
}

/**
 * Applies a queue batch's audience changes to the account's index (one call
 * per shard per batch, not per event) and drops forgotten profiles (merged
 * away or erased). Idempotent: a redelivered batch changes nothing.
 */
export async function indexAudienceChanges(
  env: Env,
  memberships: MembershipMessage[],
  forgets: ForgetMessage[],
): Promise<void> {
  await Promise.all(
    [...groupBy(memberships, (m) => `${m.cid}\u0000${indexShardOf(m.profile)}`)].map(([key, list]) => {
      const [cid, n] = key.split("\u0000") as [string, string];
      return indexShard(env, cid, Number(n)).apply(
        list.map((m) => ({ profile: m.profile, seq: m.seq, changes: m.changes })),
      );
    }),
  );
  for (const f of forgets) {
    await Promise.all(
      [...groupBy(f.profiles, (p) => indexShardOf(p))].map(([n, ids]) => indexShard(env, f.cid, n).forget(ids)),
    );
  }
}
