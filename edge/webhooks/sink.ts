import type { Env } from "../platform/env";
import { deliveryStub, subscriptionRoutesOf } from "./subscriptions";
import type { SubscriptionRoute } from "../accounts/records/subscription-catalog";
import type { IncomingChange } from "./contract";
import type { ForgetMessage, MembershipMessage } from "../profiles/contract";

/** The changes of `messages` that `route` subscribes to, one per message that has any. */
export function changesFor(route: SubscriptionRoute, messages: MembershipMessage[]): IncomingChange[] {
  const out: IncomingChange[] = [];
  for (const m of messages) {
    const events = m.changes
      .filter((c) => route.segments[c.slug] !== undefined && (route.events ?? ["enter", "exit"]).includes(c.event))
      .map((c) => ({ id: route.segments[c.slug]!, event: c.event, enter: c.enter, exit: c.exit, slug: c.slug }));
    // Trigger fields: a member of a subscribed audience changed one of them.
    const triggered = (m.field_changes ?? []).filter((f) => route.triggerFields.includes(f.field));
    const member = (m.segments ?? []).some((slug) => route.segments[slug] !== undefined);
    const fieldChanges = triggered.length && member ? triggered : [];
    if (events.length || fieldChanges.length) {
      out.push({
        profile: m.profile,
        seq: m.seq,
        at: m.at,
        fields: m.fields,
        segment_events: events,
        ...(fieldChanges.length ? { field_changes: fieldChanges } : {}),
      });
    }
  }
  return out;
}

/** How long direct hand-offs to a subscription pause after its delivery object reported a backlog. */
export const BACKLOG_PAUSE_MS = 1_000;

/** Subscriptions (`cid/id`) whose delivery object reported a backlog, with when the pause ends (this isolate). */
const backlogged = new Map<string, number>();

/**
 * The direct path of one membership message, beside the queue (profiles
 * call it through their hand-off, profiles/settle/handoff.ts): hands its
 * changes to each subscription's delivery object at once, so a healthy
 * webhook does not wait for a queue batch. Resolves true once every one
 * took them. Resolves false, handing nothing, while one of them reported a
 * backlog in the last BACKLOG_PAUSE_MS: the change would wait in that line
 * anyway, so it takes one path (the queue) instead of two; the profile
 * then leaves its later changes to the queue too until it caught up, so
 * order per person holds.
 */
export async function handOverDirectly(env: Env, message: MembershipMessage): Promise<boolean> {
  const routes = await subscriptionRoutesOf(env, message.cid);
  const now = Date.now();
  const targets: { key: string; id: string; changes: IncomingChange[] }[] = [];
  for (const route of routes) {
    if (!route.active) continue;
    const changes = changesFor(route, [message]);
    if (!changes.length) continue;
    const key = `${message.cid}/${route.id}`;
    const until = backlogged.get(key);
    if (until !== undefined) {
      if (until > now) return false;
      backlogged.delete(key);
    }
    targets.push({ key, id: route.id, changes });
  }
  const answers = await Promise.all(targets.map((t) => deliveryStub(env, message.cid, t.id).acceptDirect(t.changes)));
  answers.forEach((answer, i) => {
    if (!answer.backlog) return;
    if (backlogged.size >= 10_000) backlogged.clear();
    backlogged.set(targets[i]!.key, Date.now() + BACKLOG_PAUSE_MS);
  });
  return true;
}

/**
 * The webhook sink of the segment-events queue: hands each subscription
 * the audience changes it subscribes to (one call per subscription per
 * batch) and tells every subscription of an account about erased people.
 * Delivery objects drop redeliveries, so a retried batch is harmless.
 */
export async function deliverToSubscriptions(
  env: Env,
  memberships: MembershipMessage[],
  forgets: ForgetMessage[],
): Promise<void> {
  const byAccount = new Map<string, MembershipMessage[]>();
  for (const m of memberships) {
    let list = byAccount.get(m.cid);
    if (!list) byAccount.set(m.cid, (list = []));
    list.push(m);
  }
  const calls: Promise<unknown>[] = [];
  for (const [cid, messages] of byAccount) {
    const routes = await subscriptionRoutesOf(env, cid);
    for (const route of routes) {
      if (!route.active) continue;
      const changes = changesFor(route, messages);
      if (changes.length) calls.push(deliveryStub(env, cid, route.id).accept(changes));
    }
  }
  for (const f of forgets) {
    if (f.reason !== "erased") continue;
    for (const route of await subscriptionRoutesOf(env, f.cid))
      calls.push(deliveryStub(env, f.cid, route.id).forget(f.profiles));
  }
  await Promise.all(calls);
}
