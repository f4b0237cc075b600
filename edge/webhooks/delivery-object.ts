import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import type { BackfillState, DeliveryRpc, DeliveryStatus, IncomingChange } from "./contract";
import { accountStub } from "../accounts/settings/config";
import { SUBSCRIPTION_CACHE_MS } from "./subscriptions";
import type { SubscriptionRecord } from "../accounts/records/subscription-catalog";
import { DeliveryStore } from "./delivery/store";
import {
  eventId,
  type DeliveryCounts,
  type DeliveryView,
  type RequestRow,
  type RequestState,
} from "./delivery/storage/rows";
import { attemptRequest } from "./delivery/attempt";
import { backfillStep } from "./delivery/backfill";
import { retryScale } from "./delivery/retry-policy";

/** Requests one subscription has in flight at once: a slow receiver only slows itself. */
export const MAX_IN_FLIGHT = 16;
/** A batch is sent when full or when its oldest message is this old. */
export const BATCH_WINDOW_MS = 1_000;
/** Longest one drain keeps sending before it yields (and reschedules). */
const DRAIN_BUDGET_MS = 20_000;
/**
 * While a drain runs, the alarm is only a backstop (the object was evicted
 * or the process killed mid-drain): it is set this far ahead instead of
 * "now", so a busy object does not write an alarm, and wake an alarm
 * handler, for every message — and short, so a restart resumes promptly.
 */
const BACKSTOP_MS = 2_000;

/**
 * Webhook delivery of one subscription (one object per subscription, named
 * `${cid}/${id}`). Messages arrive from the queue sink and are sent at
 * once: `accept` starts a drain when none runs, and a running drain picks
 * up what arrives meanwhile. Alarms serve what must wait (retries on the
 * Standard Webhooks schedule, batch windows, backfill steps) and resume a
 * drain the object lost (eviction, restart). Requests are formed into
 * batches when the subscription asks, signed, dead-lettered when they
 * keep failing. At most MAX_IN_FLIGHT requests are in flight.
 */
export class DeliveryObject extends DurableObject<Env> implements DeliveryRpc {
  private readonly store: DeliveryStore;
  private readonly inflight = new Set<string>();
  /** The alarm last set by this instance (undefined: unknown, e.g. after a restart). */
  private alarmAt: number | null | undefined = undefined;
  private draining = false;
  /** Work arrived while a drain was running: it checks once more before it ends. */
  private more = false;
  /** Wakes a drain waiting for a send to finish, so work that arrives is claimed at once (null: none waits). */
  private wake: (() => void) | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new DeliveryStore(ctx.storage.sql);
  }

  private subscription(): SubscriptionRecord | null {
    return this.store.config.get<SubscriptionRecord>("subscription");
  }

  /**
   * Stores the subscription's configuration (on create and every update);
   * `backfill` starts sending the current members of its one audience.
   */
  async configure(record: SubscriptionRecord, backfill: { slug: string; segment_id: string } | null): Promise<void> {
    this.store.config.init();
    this.store.config.set("subscription", record);
    if (backfill) {
      const now = Date.now();
      const state: BackfillState = {
        ...backfill,
        requested: now,
        not_before: now + SUBSCRIPTION_CACHE_MS + 500,
        shard: 0,
        after: "",
        sent: 0,
        done: false,
      };
      this.store.config.set("backfill", state);
    }
    await this.schedule();
  }

  /** Takes audience changes from the queue sink; drops redeliveries. Returns how many were queued. */
  async accept(changes: IncomingChange[]): Promise<number> {
    const sub = this.subscription();
    if (sub?.state !== "active") return 0;
    const now = Date.now();
    let queued = 0;
    this.ctx.storage.transactionSync(() => {
      for (const c of changes) {
        if (this.store.messages.isErased(c.profile) || !this.store.messages.markSeen(c.profile, c.seq, now)) continue;
        this.store.messages.addItem(
          {
            event_id: eventId(),
            profile_id: c.profile,
            seq: c.seq,
            at: c.at,
            backfill: false,
            fields: c.fields,
            segment_events: c.segment_events,
            ...(c.field_changes ? { field_changes: c.field_changes } : {}),
          },
          now,
        );
        queued++;
      }
    });
    if (queued) {
      this.kick();
      await this.schedule();
    }
    return queued;
  }

  /** Removes every message about erased people. Returns how many were removed. */
  async forget(profiles: string[]): Promise<number> {
    if (!this.store.config.exists()) return 0;
    return this.store.forget(profiles, Date.now());
  }

  /** Requests newest first, with attempts (the delivery log). */
  async deliveries(
    state: RequestState | null,
    limit: number,
  ): Promise<{ counts: DeliveryCounts; deliveries: DeliveryView[] }> {
    if (!this.store.config.exists())
      return { counts: { pending: 0, sending: 0, delivered: 0, dead: 0, queued_messages: 0 }, deliveries: [] };
    return { counts: this.store.log.counts(), deliveries: this.store.log.list(state, limit) };
  }

  /** Counts by state and backfill progress. */
  async status(): Promise<DeliveryStatus> {
    if (!this.store.config.exists())
      return { counts: { pending: 0, sending: 0, delivered: 0, dead: 0, queued_messages: 0 }, backfill: null };
    const bf = this.store.config.get<BackfillState>("backfill");
    return {
      counts: this.store.log.counts(),
      backfill: bf ? { state: bf.done ? "done" : "running", sent: bf.sent } : null,
    };
  }

  /** Sends the dead letters again (or every request created within `range`, ms). Returns how many. */
  async replay(range: { from: number; to: number } | null): Promise<number> {
    if (!this.store.config.exists()) return 0;
    const n = this.store.requests.replay(Date.now(), range);
    if (n) {
      this.kick();
      await this.schedule();
    }
    return n;
  }

  /** Deletes everything (the subscription was deleted). */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.store.config.forget();
    this.alarmAt = null;
  }

  // ---- sending ---------------------------------------------------------

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const sub = this.subscription();
    if (!sub) return;
    const now = Date.now();
    this.store.requests.resetStuck(this.inflight, now);
    if (Math.random() < 0.02) this.store.log.prune(now);
    try {
      const bf = this.store.config.get<BackfillState>("backfill");
      if (bf && !bf.done && bf.not_before <= now && sub.state === "active")
        await backfillStep(this.env, this.ctx.storage, this.store, sub, bf);
      if (sub.state === "active") await this.drain();
    } catch (err) {
      console.error("webhook delivery step failed; will retry", err);
    } finally {
      await this.schedule(true);
    }
  }

  /** The drain in progress, if any. */
  private running: Promise<void> | null = null;

  /** Sends what is due now, without waiting for an alarm: starts a drain, or tells the running one to look again. */
  private kick(): void {
    if (this.draining) {
      this.more = true;
      this.wake?.();
      return;
    }
    // After the drain the alarm is only moved earlier, never deleted: the backstop set while it ran stays (an
    // alarm with nothing to do is cheap), so a change at a time costs no alarm writes while changes keep coming.
    this.ctx.waitUntil(
      this.drain()
        .then(() => this.schedule())
        .catch((err) => console.error("webhook delivery step failed; the alarm retries", err)),
    );
  }

  /** Runs drain passes until nothing new arrived during the last one; a running drain is joined, not doubled. */
  private drain(): Promise<void> {
    if (this.running) return this.running;
    this.draining = true;
    this.running = (async () => {
      const end = Date.now() + DRAIN_BUDGET_MS;
      try {
        do {
          this.more = false;
          await this.drainPass(end);
        } while (this.more && Date.now() < end);
      } finally {
        this.draining = false;
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Forms due batches and keeps up to MAX_IN_FLIGHT requests in flight until nothing is due (or the budget is spent). */
  private async drainPass(end: number): Promise<void> {
    const running = new Set<Promise<void>>();
    try {
      for (;;) {
        const sub = this.subscription();
        if (sub?.state !== "active") break;
        this.formBatches(sub, Date.now());
        while (running.size < MAX_IN_FLIGHT && Date.now() < end) {
          const next = this.store.requests.claimDue(Date.now());
          if (!next) break;
          this.inflight.add(next.id);
          const p: Promise<void> = this.send(next)
            .catch((err) => console.error("webhook send failed", err))
            .finally(() => {
              this.inflight.delete(next.id);
              running.delete(p);
            });
          running.add(p);
        }
        if (!running.size) break;
        // A send finished (a slot is free) or new work arrived (claimed now if a slot is free).
        await Promise.race([...running, new Promise<void>((woken) => (this.wake = woken))]);
        this.wake = null;
      }
    } finally {
      await Promise.all(running);
    }
  }

  private formBatches(sub: SubscriptionRecord, now: number): void {
    const size = sub.config.batch ? sub.config.batch_size : 1;
    const oldest = this.store.messages.oldestUnassigned();
    if (oldest === null) return;
    this.store.requests.formRequests(size, now, size === 1 || oldest + BATCH_WINDOW_MS <= now);
  }

  /** One attempt of one request; a 410 Gone disables the subscription. */
  private async send(request: RequestRow): Promise<void> {
    const sub = this.subscription();
    const gone = await attemptRequest(this.store, sub, request, retryScale(this.env));
    if (sub && gone !== null)
      await this.disable(sub, `the receiver answered 410 Gone at ${new Date(gone).toISOString()}`);
  }

  /** 410 Gone: the subscription stops; what was not delivered becomes dead letters. */
  private async disable(sub: SubscriptionRecord, reason: string): Promise<void> {
    const now = Date.now();
    const current = this.subscription() ?? sub;
    if (current.state === "disabled") return;
    this.store.config.set("subscription", { ...current, state: "disabled", state_reason: reason });
    this.store.requests.deadLetterAll("subscription disabled (410 Gone)", now);
    const account = accountStub(this.env, current.account_id);
    const stored = await account.getSubscription(current.id);
    if (stored && stored.state === "active")
      await account.putSubscription({
        ...stored,
        state: "disabled",
        state_reason: reason,
        updated: new Date(now).toISOString(),
      });
  }

  /** Sets the alarm for the earliest work: a due request, a batch window ending, a backfill step. */
  private async schedule(force = false): Promise<void> {
    const sub = this.subscription();
    const now = Date.now();
    const times: number[] = [];
    if (sub && sub.state === "active") {
      const due = this.store.requests.nextDue();
      if (due !== null) times.push(due);
      const oldest = this.store.messages.oldestUnassigned();
      if (oldest !== null) times.push(sub.config.batch ? oldest + BATCH_WINDOW_MS : now);
      const bf = this.store.config.get<BackfillState>("backfill");
      if (bf && !bf.done) times.push(bf.not_before);
    }
    let want = times.length ? Math.max(now, Math.min(...times)) : null;
    // A running drain sends what is due now; the alarm only covers its loss.
    if (want !== null && want <= now && this.draining) want = now + BACKSTOP_MS;
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (want === null) {
      if (this.alarmAt !== null && force) {
        await this.ctx.storage.deleteAlarm();
        this.alarmAt = null;
      }
      return;
    }
    if (this.alarmAt === null || want < this.alarmAt || force) {
      await this.ctx.storage.setAlarm(want);
      this.alarmAt = want;
    }
  }
}
