import type { SubscriptionRecord } from "../../accounts/records/subscription-catalog";
import { findAccount } from "../../accounts/settings/config";
import { AUDIENCE_SHARDS, indexShard } from "../../audiences/index-shards";
import type { Env } from "../../platform/env";
import { fieldOptions, profileStub } from "../../profiles/profile-stub";
import type { BackfillState } from "../contract";
import type { DeliveryItem, SegmentEvent } from "./message";
import { eventId } from "./storage/rows";
import type { DeliveryStore } from "./store";

/** Members read per backfill step. */
const BACKFILL_PAGE = 100;
/** Profiles read at once during a backfill. */
const BACKFILL_PARALLEL = 10;

/**
 * One page of a backfill: members from the audience index, each read
 * from its profile (the truth now). A member gets an `enter` unless a
 * live change about them arrived since the backfill was requested (the
 * live stream already tells their story) or they were erased.
 */
export async function backfillStep(
  env: Env,
  storage: DurableObjectStorage,
  store: DeliveryStore,
  sub: SubscriptionRecord,
  bf: BackfillState,
): Promise<void> {
  const account = await findAccount(env, sub.account_id);
  if (!account) return;
  const ids = await indexShard(env, sub.account_id, bf.shard).members(bf.slug, bf.after, BACKFILL_PAGE);
  const options = fieldOptions(account);
  const found: { id: string; item: Omit<DeliveryItem, "event_id"> }[] = [];
  for (let i = 0; i < ids.length; i += BACKFILL_PARALLEL) {
    const reads = await Promise.all(
      ids.slice(i, i + BACKFILL_PARALLEL).map(async (id) => {
        const stub = profileStub(env, sub.account_id, id);
        const view = await stub.read(options);
        if (!view || "alias" in view || !view.segments.includes(bf.slug)) return null;
        const h = (await stub.audienceHistory()).find((m) => m.slug === bf.slug);
        const event: SegmentEvent = {
          id: bf.segment_id,
          event: "enter",
          enter: h?.enter ?? null,
          exit: h?.exit ?? null,
          slug: bf.slug,
        };
        return {
          id,
          item: {
            profile_id: id,
            seq: 0,
            at: new Date().toISOString(),
            backfill: true,
            fields: view.fields,
            segment_events: [event],
          },
        };
      }),
    );
    for (const r of reads) if (r) found.push(r);
  }
  // The subscription may have changed or gone while we read.
  const latest = store.config.get<BackfillState>("backfill");
  if (!latest || latest.requested !== bf.requested) return;
  const now = Date.now();
  let sent = 0;
  storage.transactionSync(() => {
    for (const f of found) {
      if (store.messages.isErased(f.id) || store.messages.seenSince(f.id, bf.requested)) continue;
      store.messages.addItem({ ...f.item, event_id: eventId() }, now);
      sent++;
    }
    const next: BackfillState = { ...bf, sent: bf.sent + sent };
    if (ids.length < BACKFILL_PAGE) {
      next.shard += 1;
      next.after = "";
    } else next.after = ids[ids.length - 1]!;
    next.done = next.shard >= AUDIENCE_SHARDS;
    store.config.set("backfill", next);
  });
}
