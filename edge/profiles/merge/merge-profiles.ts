import { repointLinks } from "../../identity/directory";
import type { Env } from "../../platform/env";
import type { ProfileSnapshot } from "../contract";
import { isAlias, profileStub } from "../profile-stub";
import { followAliases } from "./aliases";

/** A merge the guard rails refused: the people would hold too many identifiers of one kind. */
export class MergeRefused extends Error {
  constructor(
    readonly profiles: string[],
    reason: string,
  ) {
    super(reason);
  }
}

/** Follows merge aliases from `id` to the surviving profile id. */
export async function survivor(env: Env, cid: string, id: string): Promise<string> {
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
