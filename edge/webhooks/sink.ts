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
