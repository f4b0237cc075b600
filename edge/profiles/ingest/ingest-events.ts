import type { CollectEvent } from "../../../types/wire";
import type { AccountConfig } from "../../accounts/settings/config";
import type { ResolvedLink } from "../../identity/contract";
import { lookupOrClaimLinks } from "../../identity/directory";
import { type EventIdentifiers, identifiersOf, identitySignature } from "../../identity/identifiers";
import { personLanes } from "../../identity/person-lanes";
import { mapWithLimit } from "../../platform/concurrency";
import { verifySignedIdentities } from "../../identity/signatures";
import type { Env } from "../../platform/env";
import type { IngestedView } from "../contract";
import { followAliases } from "../merge/aliases";
import { fieldOptions, isAlias, profileStub } from "../profile-stub";
import { forget, knownProfile, remember } from "../resolve/link-cache";
import { resolve, withPrevious } from "../resolve/resolve";

/** Result of ingesting a request's events. */
export interface IngestResult {
  /** Events received (duplicates included). */
  received: number;
  /** Profiles the events went to, in order. */
  profiles: IngestedView[];
  /** Events that carried no identifier and were not stored. */
  anonymous: number;
}

/** People of one call ingested at the same time (each person's events stay in order). */
export const INGEST_CONCURRENCY = 8;

/** Consecutive events of one person, with their identifiers. */
interface EventGroup {
  events: CollectEvent[];
  ids: EventIdentifiers;
  /** A browser event carrying a signed identity: its identifiers are known only once verified. */
  signed: boolean;
}

/** Splits events into groups: consecutive events with the same identifiers; a signed event stands alone. */
function eventGroups(events: CollectEvent[], account: AccountConfig, verified: boolean): EventGroup[] {
  const groups: EventGroup[] = [];
  const signed = (e: CollectEvent) => !verified && e._idsig !== undefined;
  let i = 0;
  while (i < events.length) {
    const ids = identifiersOf(events[i]!, account, verified);
    const sig = identitySignature(ids);
    let j = i + 1;
    if (!signed(events[i]!))
      while (
        j < events.length &&
        !signed(events[j]!) &&
        identitySignature(identifiersOf(events[j]!, account, verified)) === sig
      )
        j++;
    groups.push({ events: events.slice(i, j), ids, signed: signed(events[i]!) });
    i = j;
  }
  return groups;
}

/**
 * Looks up (or links, for new people) in one call per identity shard the
 * key of each group that starts a lane and carries one strong key and
 * nothing else: the bulk case, one user id per person. The other groups
 * resolve on their own.
 */
async function prefetchLinks(env: Env, cid: string, starts: EventGroup[]): Promise<Map<EventGroup, ResolvedLink>> {
  const simple = starts.filter(
    (g) => g.ids.strong.length === 1 && !g.ids.weak.length && !g.ids.previous && !knownProfile(cid, g.ids.strong),
  );
  const found = new Map<EventGroup, ResolvedLink>();
  if (simple.length < 2) return found;
  const resolved = await lookupOrClaimLinks(
    env,
    cid,
    simple.map((g) => ({ key: g.ids.strong[0]!, candidate: crypto.randomUUID() })),
  );
  simple.forEach((g, i) => found.set(g, resolved[i]!));
  return found;
}

/**
 * Stores events on their people's profiles. Consecutive events with the
 * same identifiers go to their profile in one call, in order; an event with
 * no usable identifier is counted and skipped. Different people (groups
 * sharing no identifier, identity/person-lanes.ts) are ingested
 * concurrently, INGEST_CONCURRENCY at a time; groups that may be one person
 * keep their order. A call with a signed identity keeps the batch's order.
 */
export async function ingestEvents(
  env: Env,
  account: AccountConfig,
  events: CollectEvent[],
  verified: boolean,
): Promise<IngestResult> {
  const groups = eventGroups(events, account, verified);
  const lanes = groups.some((g) => g.signed)
    ? [groups.map((_, i) => i)]
    : personLanes(groups, (g) => [...g.ids.strong, ...g.ids.weak, ...(g.ids.previous ? [g.ids.previous] : [])]);
  const prefetched = await prefetchLinks(
    env,
    account.cid,
    lanes.map((lane) => groups[lane[0]!]!),
  );
  const views: (IngestedView | null)[] = new Array(groups.length).fill(null);
  let anonymous = 0;
  await mapWithLimit(lanes, INGEST_CONCURRENCY, async (lane) => {
    for (const index of lane) {
      const group = groups[index]!;
      const stored = await ingestGroup(env, account, group, verified, prefetched.get(group));
      if (stored === "anonymous") anonymous += group.events.length;
      else views[index] = stored;
    }
  });
  return { received: events.length, profiles: views.filter((v): v is IngestedView => v !== null), anonymous };
}

/** Stores one group of a person's events; "anonymous" when they carry no usable identifier. */
async function ingestGroup(
  env: Env,
  account: AccountConfig,
  group: EventGroup,
  verified: boolean,
  prefetched: ResolvedLink | undefined,
): Promise<IngestedView | null | "anonymous"> {
  let ids = group.ids;
  if (group.signed) ids = await verifySignedIdentities(env, account.cid, group.events[0]!, ids);
  ids = await withPrevious(env, account.cid, ids);
  if (ids.strong.length === 0) return "anonymous";
  const resolved = await resolve(env, account, ids, verified, prefetched);
  let keys = resolved.keys;
  const { answer } = await followAliases(
    resolved.id,
    async (target): Promise<{ view: IngestedView } | { next: string }> => {
      const answer = await profileStub(env, account.cid, target).ingest(
        account.cid,
        target,
        group.events,
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
  return "view" in answer ? answer.view : null;
}
