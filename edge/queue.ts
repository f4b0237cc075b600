import type { Env } from "./platform/env";
import { indexShard, indexShardOf } from "./audiences/index-shards";
import type { ForgetMessage, MembershipMessage, SegmentQueueMessage } from "./profiles/audience-changes";

/**
 * Something that reacts to audience changes (webhook delivery). The
 * consumer calls each with the batch's membership messages (after the
 * audience index has them) and forget messages (merged-away or erased
 * profiles). Must be idempotent: a failed batch is redelivered whole.
 */
export type MembershipSink = (env: Env, messages: MembershipMessage[], forgets: ForgetMessage[]) => Promise<void>;

const sinks: MembershipSink[] = [];

/** Adds a reaction to audience changes (e.g. webhook delivery). */
export function addMembershipSink(sink: MembershipSink): void {
  sinks.push(sink);
}

/** Groups items by a key. */
function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(item);
  }
  return out;
}

/**
 * Consumes a batch of segment events: updates each account's audience
 * index (one call per shard per batch, not per event), then hands the
 * changes to the other sinks. A failure retries the whole batch; every
 * step is idempotent.
 */
export async function consumeSegmentEvents(batch: MessageBatch<SegmentQueueMessage>, env: Env): Promise<void> {
  const bodies = batch.messages.map((m) => m.body);
  const memberships = bodies.filter((b): b is MembershipMessage => b.type === "membership");
  const forgets = bodies.filter((b): b is ForgetMessage => b.type === "forget");
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
      [...groupBy(f.profiles, (p) => String(indexShardOf(p)))].map(([n, ids]) =>
        indexShard(env, f.cid, Number(n)).forget(ids),
      ),
    );
  }
  for (const sink of sinks) await sink(env, memberships, forgets);
  batch.ackAll();
}
