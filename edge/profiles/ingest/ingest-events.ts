import type { CollectEvent } from "../../../types/wire";
import type { AccountConfig } from "../../accounts/config";
import { identifiersOf, identitySignature } from "../../identity/identifiers";
import { verifySignedIdentities } from "../../identity/signatures";
import type { Env } from "../../platform/env";
import type { ProfileView } from "../contract";
import { followAliases } from "../merge/aliases";
import { fieldOptions, isAlias, profileStub } from "../profile-stub";
import { forget, remember } from "../resolve/link-cache";
import { resolve, withPrevious } from "../resolve/resolve";

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
