import type { Env } from "../platform/env";
import type { AudienceIndex } from "./audience-index-object";
import { fnv1a } from "../identity/directory";

/** Shards of one account's audience index. */
export const AUDIENCE_SHARDS = 16;

type IndexRpc = Pick<AudienceIndex, "apply" | "forget" | "counts" | "members" | "dropSegment">;

/** Shard of a profile in the audience index. */
export const indexShardOf = (profile: string): number => fnv1a(profile) % AUDIENCE_SHARDS;

/** The index shard `n` of account `cid`. */
export function indexShard(env: Env, cid: string, n: number): IndexRpc {
  return env.AUDIENCES.get(env.AUDIENCES.idFromName(`${cid}/${n}`)) as unknown as IndexRpc;
}

/** Exact audience sizes of an account, as of the last processed queue batch. */
export async function audienceSizes(env: Env, cid: string): Promise<Record<string, number>> {
  const parts = await Promise.all(Array.from({ length: AUDIENCE_SHARDS }, (_, n) => indexShard(env, cid, n).counts()));
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
  await Promise.all(Array.from({ length: AUDIENCE_SHARDS }, (_, n) => indexShard(env, cid, n).dropSegment(slug)));
}
