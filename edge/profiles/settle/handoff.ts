import type { Env } from "../../platform/env";
import type { MembershipMessage } from "../contract";
import type { ProfileStores } from "../storage/profile-stores";

/**
 * Hands one membership message straight to the consumers that act on it
 * at once (webhook delivery objects), resolving once each durably took it.
 * The worker's root wires it (edge/index.ts): profiles rank below webhooks.
 */
export type MembershipHandoff = (env: Env, message: MembershipMessage) => Promise<void>;

let handoff: MembershipHandoff | null = null;

/** Sets the direct hand-off of membership messages (null: none; messages take only the queue). */
export function setMembershipHandoff(fn: MembershipHandoff | null): void {
  handoff = fn;
}

/**
 * The direct path of a profile's audience changes, beside the queue: each
 * membership message is also handed to its delivery objects by RPC as
 * soon as it is stored, so a healthy webhook does not wait for a queue
 * batch (PRODUCT.md §8). The queue stays the durable path: the outbox row
 * is cleared only when the queue consumer confirmed it (it also feeds the
 * audience index), and delivery objects drop whichever copy comes second.
 *
 * Order per profile holds: messages are handed one after another, in
 * sequence order, and one is handed directly only while every older
 * message still in the outbox was handed directly by this object. After
 * a failed hand-off (or a restart with messages in the outbox) the queue
 * carries the changes until it has caught up.
 */
class DirectHandoff {
  private chain: Promise<void> = Promise.resolve();
  /** This object handed every message from this sequence number on (null: no unbroken run). */
  private handedFrom: number | null = null;

  constructor(private readonly stores: ProfileStores) {}

  /** Queues `message` for the direct path; returns the chain's end (settles, never rejects). */
  offer(env: Env, send: MembershipHandoff, message: MembershipMessage): Promise<void> {
    this.chain = this.chain.then(() => this.handOver(env, send, message));
    return this.chain;
  }

  private async handOver(env: Env, send: MembershipHandoff, message: MembershipMessage): Promise<void> {
    const seq = message.outbox?.seq;
    if (seq === undefined) return;
    const outbox = this.stores.outbox;
    // The queue consumer already confirmed it: the delivery objects have it.
    if (!outbox.holds(seq)) return;
    const older = outbox.oldestBefore(seq);
    if (older !== null && (this.handedFrom === null || older < this.handedFrom)) return;
    try {
      await send(env, message);
      if (this.handedFrom === null) this.handedFrom = seq;
    } catch (err) {
      this.handedFrom = null;
      console.error("audience change not handed to webhook delivery directly; the queue carries it", err);
    }
  }
}

const byProfile = new WeakMap<ProfileStores, DirectHandoff>();

/**
 * Starts the direct hand-off of a membership message just stored in the
 * outbox (no-op when none is wired). The profile does not wait for it;
 * the returned promise (which never rejects) lets a caller that must.
 */
export function handOffDirectly(stores: ProfileStores, env: Env, message: MembershipMessage): Promise<void> {
  if (!handoff) return Promise.resolve();
  let direct = byProfile.get(stores);
  if (!direct) byProfile.set(stores, (direct = new DirectHandoff(stores)));
  return direct.offer(env, handoff, message);
}
