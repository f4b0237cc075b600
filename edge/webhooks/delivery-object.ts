import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import type { BackfillState, DeliveryRpc, DeliveryStatus, IncomingChange } from "./contract";
import { accountStub, findAccount } from "../accounts/config";
import { indexShard, AUDIENCE_SHARDS } from "../audiences/index-shards";
import { fieldOptions, profileStub } from "../profiles/profile-stub";
import { SUBSCRIPTION_CACHE_MS } from "./subscriptions";
import type { SubscriptionRecord } from "../accounts/subscription-catalog";
import { DeliveryStore } from "./delivery/store";
import type { DeliveryCounts, DeliveryView, RequestRow, RequestState } from "./delivery/storage/rows";
import { retryDelay, retryScale, verdictOf } from "./delivery/retry-policy";
import { postWebhook } from "./delivery/sender";
import { signatureHeaders } from "./delivery/signing";
import { renderBody, type DeliveryItem, type SegmentEvent } from "./delivery/message";

/** Requests one subscription has in flight at once: a slow receiver only slows itself. */
export const MAX_IN_FLIGHT = 16;
/** A batch is sent when full or when its oldest message is this old. */
export const BATCH_WINDOW_MS = 1_000;
/** Members read per backfill step. */
const BACKFILL_PAGE = 100;
/** Profiles read at once during a backfill. */
const BACKFILL_PARALLEL = 10;
/** Longest one drain keeps sending before it yields (and reschedules). */
const DRAIN_BUDGET_MS = 20_000;
/**
 * While a drain runs, the alarm is only a backstop (the object was evicted
 * mid-drain): it is set this far ahead instead of "now", so a busy object
 * does not write an alarm, and wake an alarm handler, for every message.
 */
const BACKSTOP_MS = 30_000;

const eventId = () => "evt_" + crypto.randomUUID().replaceAll("-", "");

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
    if (!sub || sub.state !== "active") return 0;
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
      if (bf && !bf.done && bf.not_before <= now && sub.state === "active") await this.backfillStep(sub, bf);
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
      return;
    }
    this.ctx.waitUntil(
      this.drain()
        .then(() => this.schedule(true))
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
        if (!sub || sub.state !== "active") break;
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
        await Promise.race(running);
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

  /** One attempt of one request: render, sign, POST, and record the outcome. */
  private async send(request: RequestRow): Promise<void> {
    const sub = this.subscription();
    // A backfill read older than a live change of the same person is stale: the live stream tells their story.
    this.store.messages.dropStaleBackfill(request.id);
    const items = this.store.messages.itemsOf(request.id);
    if (!sub || !items.length) {
      this.store.requests.dropRequest(request.id);
      return;
    }
    const { body, contentType } = renderBody(items, {
      subscriptionId: sub.id,
      format: sub.config.format,
      cloudeventsType: sub.config.cloudevents_type,
      cloudeventsSource: sub.config.cloudevents_source,
      batch: sub.config.batch,
    });
    const now = Date.now();
    const secrets = sub.secrets.filter((s) => !s.expires || Date.parse(s.expires) > now).map((s) => s.secret);
    const signed = await signatureHeaders(secrets, request.id, Math.floor(now / 1000), body);
    const headers = {
      ...sub.config.headers,
      "content-type": contentType,
      "user-agent": "Pathlight-Webhooks/1.0",
      ...signed,
    };
    const outcome = await postWebhook(sub.config.webhook_url, body, headers, undefined, sub.config.method ?? "POST");
    const attempt = request.attempts + 1;
    const done = Date.now();
    this.store.requests.logAttempt(request.id, attempt, now, outcome.status, outcome.latencyMs, outcome.error);
    const verdict = verdictOf(outcome.status);
    if (verdict === "delivered") {
      this.store.requests.settle(request.id, "delivered", attempt, null, outcome.status, null, done);
    } else if (verdict === "retry") {
      const delay = retryDelay(attempt, { scale: retryScale(this.env), retryAfterMs: outcome.retryAfterMs });
      if (delay === null)
        this.store.requests.settle(
          request.id,
          "dead",
          attempt,
          null,
          outcome.status,
          `${outcome.error}; gave up after ${attempt} attempts`,
          done,
        );
      else
        this.store.requests.settle(request.id, "pending", attempt, done + delay, outcome.status, outcome.error, done);
    } else {
      this.store.requests.settle(request.id, "dead", attempt, null, outcome.status, outcome.error, done);
      if (verdict === "gone")
        await this.disable(sub, `the receiver answered 410 Gone at ${new Date(done).toISOString()}`);
    }
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

  /**
   * One page of a backfill: members from the audience index, each read
   * from its profile (the truth now). A member gets an `enter` unless a
   * live change about them arrived since the backfill was requested (the
   * live stream already tells their story) or they were erased.
   */
  private async backfillStep(sub: SubscriptionRecord, bf: BackfillState): Promise<void> {
    const account = await findAccount(this.env, sub.account_id);
    if (!account) return;
    const ids = await indexShard(this.env, sub.account_id, bf.shard).members(bf.slug, bf.after, BACKFILL_PAGE);
    const options = fieldOptions(account);
    const found: { id: string; item: Omit<DeliveryItem, "event_id"> }[] = [];
    for (let i = 0; i < ids.length; i += BACKFILL_PARALLEL) {
      const reads = await Promise.all(
        ids.slice(i, i + BACKFILL_PARALLEL).map(async (id) => {
          const stub = profileStub(this.env, sub.account_id, id);
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
    const latest = this.store.config.get<BackfillState>("backfill");
    if (!latest || latest.requested !== bf.requested) return;
    const now = Date.now();
    let sent = 0;
    this.ctx.storage.transactionSync(() => {
      for (const f of found) {
        if (this.store.messages.isErased(f.id) || this.store.messages.seenSince(f.id, bf.requested)) continue;
        this.store.messages.addItem({ ...f.item, event_id: eventId() }, now);
        sent++;
      }
      const next: BackfillState = { ...bf, sent: bf.sent + sent };
      if (ids.length < BACKFILL_PAGE) {
        next.shard += 1;
        next.after = "";
      } else next.after = ids[ids.length - 1]!;
      next.done = next.shard >= AUDIENCE_SHARDS;
      this.store.config.set("backfill", next);
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
