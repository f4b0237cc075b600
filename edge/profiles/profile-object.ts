import { DurableObject } from "cloudflare:workers";
import type { CollectEvent } from "../../types/wire";
import type { Env } from "../platform/env";
import type { IdentityKey } from "../identity/contract";
import type {
  AliasAnswer,
  AudienceHistoryEntry,
  AudienceQueueMessage,
  FieldOptions,
  GoneAnswer,
  IngestedView,
  MembershipMessage,
  ProfileEntity,
  ProfileRpc,
  ProfileSnapshot,
  ProfileView,
  RefusedMerge,
} from "./contract";
import { EntityAnswers } from "./fields/entity-answer";
import { buildView, triggerValues } from "./fields/profile-view";
import { recordEvents } from "./ingest/record-events";
import { absorbSnapshot } from "./merge/absorb";
import { takeSnapshot } from "./merge/snapshot";
import { ProfileAlarm } from "./settle/alarm";
import { confirmed, enqueue, flushOutbox } from "./settle/outbox-sender";
import { type ProfileRuntime, settle } from "./settle/settle";
import { ProfileStores } from "./storage/profile-stores";
import type { RecentEvent } from "./storage/recent-events";

/**
 * One object per profile. It stores every distinct value seen per field
 * (with first/last time and count) so any merge strategy can be applied at
 * read time, the identifiers linked to the person, and recently seen event
 * ids for deduplication. It knows nothing of HTTP.
 *
 * The class is the RPC surface only: each table's rows and SQL live in its
 * store (`storage/`), the view in `fields/profile-view.ts`, audience
 * settling, the outbox and the alarm in `settle/`, the merge in `merge/`.
 */
export class ProfileObject extends DurableObject<Env> implements ProfileRpc {
  private readonly stores: ProfileStores;
  private readonly alarmClock: ProfileAlarm;
  private readonly runtime: ProfileRuntime;
  /** The `/personalize` answer kept until the next write. */
  private readonly answers = new EntityAnswers();
  /** Writes under way (a write that awaits lets other calls in). */
  private writes = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.stores = new ProfileStores(ctx.storage.sql, env);
    this.alarmClock = new ProfileAlarm(ctx.storage, this.stores, env);
    this.runtime = { stores: this.stores, env, alarm: this.alarmClock };
  }

  private settle(options: FieldOptions, now = Date.now(), before: Record<string, string> | null = null) {
    return this.writing(() => settle(this.runtime, options, now, before));
  }

  /**
   * Runs a call that changes what the profile shows: the kept
   * `/personalize` answer is forgotten before and after it, and none is kept
   * while it runs.
   */
  private async writing<T>(work: () => Promise<T>): Promise<T> {
    this.answers.invalidate();
    this.writes++;
    try {
      return await work();
    } finally {
      this.writes--;
      this.answers.invalidate();
    }
  }

  /** Audiences changed since the last evaluation, or a time boundary (or score change) passed and the alarm is still due. */
  private stale(options: FieldOptions): boolean {
    const { meta } = this.stores;
    const passed = (key: string) => meta.get(key) !== null && meta.num(key) <= Date.now();
    return (
      (options.segmentsVersion ?? 0) > meta.num("segments_version") ||
      passed("next_boundary") ||
      passed("next_score_change") ||
      passed("next_affinity_change")
    );
  }

  /** Records events (skipping ids already seen) and links identifiers. */
  async ingest(
    cid: string,
    id: string,
    events: CollectEvent[],
    identifiers: IdentityKey[],
    options: FieldOptions = {},
  ): Promise<IngestedView | AliasAnswer | GoneAnswer> {
    return this.writing(() => this.record(cid, id, events, identifiers, options));
  }

  private async record(
    cid: string,
    id: string,
    events: CollectEvent[],
    identifiers: IdentityKey[],
    options: FieldOptions,
  ): Promise<IngestedView | AliasAnswer | GoneAnswer> {
    const { meta } = this.stores;
    if (meta.get("erased")) return { gone: true };
    const alias = meta.get("alias_of");
    if (alias) return { alias };
    const now = Date.now();
    // Trigger fields' values before this event, to report what it changed.
    const before = options.triggerFields?.length && meta.get("id") ? triggerValues(this.stores, options) : null;
    const { fresh, firstVisits } = recordEvents(this.stores, cid, id, events, identifiers, now);
    await this.stores.xp.fold(cid, meta.get("id")!, fresh, now);
    const { content: _content, ...view }: ProfileView = await this.settle(options, now, before);
    if (firstVisits.length) view.firstVisits = firstVisits;
    return view;
  }

  async confirm(seqs: number[]): Promise<void> {
    confirmed(this.stores, seqs);
    await this.alarmClock.scheduleAlarm();
  }

  async outboxMessage(seq: number): Promise<MembershipMessage | null> {
    const body = this.stores.outbox.body(seq);
    const message = body === null ? null : (JSON.parse(body) as AudienceQueueMessage);
    return message?.type === "membership" ? message : null;
  }

  /** Alarm: a time-relative boundary passed, a score changed with the day, an affinity decayed past a threshold, or the outbox needs a retry. */
  override async alarm(): Promise<void> {
    const { meta } = this.stores;
    this.alarmClock.forget();
    if (meta.get("alias_of") || !meta.get("id")) {
      await flushOutbox(this.stores, this.env);
      if (meta.get("cid")) await this.stores.xp.flush(meta.get("cid")!);
      await this.alarmClock.scheduleAlarm();
      return;
    }
    const options = JSON.parse(meta.get("field_options") ?? "{}") as FieldOptions;
    await this.settle({ ...options, segmentsVersion: 0 });
  }

  /** Re-evaluates audiences now (reevaluation jobs, definition changes). */
  async reevaluate(options: FieldOptions = {}): Promise<{ segments: string[] } | AliasAnswer | null> {
    const alias = this.stores.meta.get("alias_of");
    if (alias) return { alias };
    if (!this.stores.meta.get("id")) return null;
    const view = await this.settle(options);
    return { segments: view.segments };
  }

  /** Assigns the person to audiences by hand, or removes them (SegmentHub API). */
  async assign(add: string[], remove: string[], options: FieldOptions = {}): Promise<ProfileView | AliasAnswer | null> {
    const alias = this.stores.meta.get("alias_of");
    if (alias) return { alias };
    if (!this.stores.meta.get("id")) return null;
    return this.writing(() => {
      this.stores.membership.setManual(add, remove);
      return this.settle(options);
    });
  }

  /** The profile with fields combined, or an alias answer, or null if empty. */
  async read(options: FieldOptions = {}): Promise<ProfileView | AliasAnswer | null> {
    const { meta } = this.stores;
    const alias = meta.get("alias_of");
    if (alias) return { alias };
    if (!meta.get("id")) return null;
    if (this.stale(options)) return this.settle(options);
    const view = buildView(this.stores, options);
    view.segments = this.stores.membership.current();
    return view;
  }

  /** `_uids`, the given fields and the audiences (`/personalize`), kept from one call to the next until a write. */
  async entity(
    options: FieldOptions = {},
    fields: readonly string[] = [],
  ): Promise<ProfileEntity | AliasAnswer | null> {
    const { meta } = this.stores;
    const alias = meta.get("alias_of");
    if (alias) return { alias };
    if (!meta.get("id")) return null;
    if (this.stale(options)) await this.settle(options);
    return this.answers.get(this.stores, options, fields, this.writes === 0);
  }

  /** Creation time, or null when the profile holds nothing yet. */
  async info(): Promise<{ created: number | null; alias: string | null; idCounts: Record<string, number> }> {
    const { meta } = this.stores;
    const idCounts = this.stores.identifiers.counts();
    return { created: meta.get("created") ? meta.num("created") : null, alias: meta.get("alias_of"), idCounts };
  }

  /** Records that a merge with other profiles was refused (shown in the profile's metadata). */
  async noteRefusedMerge(others: string[], reason: string): Promise<void> {
    const { meta } = this.stores;
    if (!meta.get("id")) return;
    const list = JSON.parse(meta.get("refused_merges") ?? "[]") as RefusedMerge[];
    list.push({ with: others, reason, at: new Date().toISOString() });
    meta.set("refused_merges", JSON.stringify(list.slice(-20)));
  }

  /**
   * Marks this profile as merged into `masterId` and returns what it holds.
   * Idempotent: a repeated call returns the same snapshot. The data stays
   * until the person is erased, so a failed merge can be completed later.
   */
  async retire(masterId: string): Promise<ProfileSnapshot> {
    const { meta } = this.stores;
    const current = meta.get("alias_of");
    if (current && current !== masterId) throw new Error(`profile already merged into ${current}`);
    if (!current) {
      this.answers.invalidate();
      meta.set("alias_of", masterId);
      const id = meta.get("id");
      if (id) enqueue(this.stores, { type: "forget", cid: meta.get("cid")!, profiles: [id], reason: "merged" });
      await flushOutbox(this.stores, this.env);
      await this.alarmClock.scheduleAlarm();
    }
    return takeSnapshot(this.stores);
  }

  /**
   * Folds a retired profile's snapshot into this one: observations add up
   * (earliest first, latest last, counts summed), identifiers and seen
   * event ids unite, the earlier creation time wins. Idempotent per source.
   */
  async absorb(
    cid: string,
    id: string,
    source: ProfileSnapshot,
    options: FieldOptions = {},
  ): Promise<ProfileView | AliasAnswer> {
    const { meta } = this.stores;
    const alias = meta.get("alias_of");
    if (alias) return { alias };
    if (!meta.get("id")) {
      meta.set("id", id);
      meta.set("cid", cid);
      meta.set("created", source.created);
    }
    if (this.stores.absorbed.has(source.id)) return this.read(options) as Promise<ProfileView>;
    return this.writing(() => {
      this.stores.dropCaches();
      this.ctx.storage.transactionSync(() => absorbSnapshot(this.stores, source));
      this.stores.dropCaches();
      return this.settle(options);
    });
  }

  /** Everything this profile holds, for a data-subject export (null when empty). */
  async dump(): Promise<ProfileSnapshot | null> {
    return this.stores.meta.get("id") ? takeSnapshot(this.stores) : null;
  }

  /** Erases everything this profile holds (GDPR/CCPA). */
  async erase(): Promise<void> {
    return this.writing(() => this.eraseAll());
  }

  private async eraseAll(): Promise<void> {
    const { meta } = this.stores;
    const id = meta.get("id");
    const cid = meta.get("cid");
    await this.ctx.storage.deleteAlarm();
    this.alarmClock.forget();
    await this.ctx.storage.deleteAll();
    this.stores.dropCaches();
    this.stores.recreate();
    // A tombstone: callers holding this id in a cache learn it is gone.
    meta.set("erased", 1);
    if (id && cid) {
      // The index must forget the person too; the message is about the id only.
      enqueue(this.stores, { type: "forget", cid, profiles: [id], reason: "erased" });
      await flushOutbox(this.stores, this.env);
      await this.alarmClock.scheduleAlarm();
    }
  }

  /** Audience history for exports. */
  async audienceHistory(): Promise<AudienceHistoryEntry[]> {
    return this.stores.membership.history();
  }

  /** The last events this profile accepted, newest first. */
  async recentEvents(limit?: number): Promise<RecentEvent[]> {
    return this.stores.meta.get("id") ? this.stores.recent.list(limit) : [];
  }
}
