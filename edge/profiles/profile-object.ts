import { DurableObject } from "cloudflare:workers";
import type { CollectEvent, FieldValue } from "../../types/wire";
import type { Env } from "../platform/env";
import { eventTime, profileFieldsOf, startsSession } from "./fields/event-fields";
import { combine, type Observation } from "./merge/merge-strategies";
import type { MergeStrategy } from "../accounts/field-vocabulary";
import { coerceField } from "./fields/field-coercion";
import type { FieldType } from "../accounts/field-vocabulary";
import { ASSIGNED_FIELD, audienceSet, REMOVED_FIELD } from "./settle/audience-eval";
import type { AudienceDefinitions } from "../accounts/audience-records";
import type { IdentityKey } from "../identity/contract";
import type {
  AliasAnswer,
  AudienceChange,
  AudienceHistoryEntry,
  AudienceQueueMessage,
  FieldChange,
  FieldOptions,
  GoneAnswer,
  ProfileRpc,
  ProfileSnapshot,
  ProfileView,
  RefusedMerge,
} from "./contract";
import { MembershipTable } from "./storage/membership-store";
import { readActivity, scoreFieldValues } from "./fields/profile-activity";
import { type ActivityState, mergeActivity, nextScoreChange, recordEvent } from "./scores";
import { ContentViews } from "./affinity/content-views";
import { ExperienceFold } from "./experiences/experience-state";
import { RecentEventLog, type RecentEvent } from "./storage/recent-events";

/** Delay before retrying segment events the queue refused. */
const OUTBOX_RETRY_MS = 5_000;
/**
 * How long a message the queue accepted waits for the consumer's
 * confirmation before it is sent again (the queue lost it, e.g. a local
 * queue's memory when the process died). Redeliveries are dropped downstream.
 */
const OUTBOX_CONFIRM_MS = 120_000;

/** How long event ids are remembered for deduplication. */
export const DEDUP_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** Most distinct values remembered per field (the least recent are dropped). */
export const MAX_VALUES_PER_FIELD = 50;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS obs (name TEXT NOT NULL, value TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL, fseq INTEGER NOT NULL DEFAULT 0, lseq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, value));
CREATE TABLE IF NOT EXISTS seen (eid TEXT PRIMARY KEY, ts INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ids (field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value));
CREATE TABLE IF NOT EXISTS absorbed (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, sent INTEGER);
`;

/**
 * One object per profile. It stores every distinct value seen per field
 * (with first/last time and count) so any merge strategy can be applied at
 * read time, the identifiers linked to the person, and recently seen event
 * ids for deduplication. It knows nothing of HTTP.
 */
export class ProfileObject extends DurableObject<Env> implements ProfileRpc {
  private readonly sql: SqlStorage;
  private membership: MembershipTable;
  /** Content viewed: topic affinities and visited documents (profiles/content-views.ts). */
  private readonly content = new ContentViews({
    get: (key) => this.meta(key),
    set: (key, value) => this.setMeta(key, value),
  });
  /** Experiences this profile met, and the report deltas it owes (experience-state.ts). */
  private xp: ExperienceFold;
  /** The last events accepted, for the timeline (recent-events.ts). */
  private recent: RecentEventLog;
  /** The alarm this instance last set (undefined: unknown, e.g. after a restart). */
  private alarmAt: number | null | undefined = undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    // Profiles stored before arrival sequences were kept gain the columns (0: before every new event).
    const columns = this.sql.exec<{ name: string }>("PRAGMA table_info(obs)").toArray();
    if (!columns.some((c) => c.name === "lseq"))
      this.sql.exec(
        "ALTER TABLE obs ADD COLUMN fseq INTEGER NOT NULL DEFAULT 0; ALTER TABLE obs ADD COLUMN lseq INTEGER NOT NULL DEFAULT 0",
      );
    // Outboxes stored before confirmations gain the send time (null: not sent yet).
    if (
      !this.sql
        .exec<{ name: string }>("PRAGMA table_info(outbox)")
        .toArray()
        .some((c) => c.name === "sent")
    )
      this.sql.exec("ALTER TABLE outbox ADD COLUMN sent INTEGER");
    this.membership = new MembershipTable(this.sql);
    this.xp = new ExperienceFold(this.sql, env);
    this.recent = new RecentEventLog(this.sql);
  }

  /** How long a sent message waits for its confirmation (shortened only in development, for tests). */
  private confirmMs(): number {
    const configured = Number(this.env.SEGMENT_EVENTS_CONFIRM_MS);
    return this.env.PATHLIGHT_ENV === "development" && configured > 0 ? configured : OUTBOX_CONFIRM_MS;
  }

  // The object owns its storage and runs one request at a time, so memory
  // mirrors of small tables stay exact; they are dropped whenever storage is
  // rewritten wholesale (absorb, erase).
  private metaCache: Map<string, string> | null = null;
  private obsCache: Map<string, Map<string, Observation>> | null = null;
  /** Identifiers linked to the person, sorted by field then value. */
  private idsCache: IdentityKey[] | null = null;
  /** The activity state parsed from its stored JSON (scores read it several times per event). */
  private activityCache: { json: string | null; state: ActivityState } | null = null;
  /** Whether the outbox may hold messages not sent yet (null: unknown, ask storage). */
  private outboxPending: boolean | null = null;
  /** When the oldest sent, unconfirmed outbox message was sent (null: none; undefined: unknown, ask storage). */
  private oldestSentCache: number | null | undefined = undefined;

  /** The send time of the oldest outbox message still waiting for the consumer's confirmation. */
  private oldestSent(): number | null {
    if (this.oldestSentCache === undefined)
      this.oldestSentCache = this.sql.exec<{ sent: number | null }>("SELECT MIN(sent) AS sent FROM outbox").one().sent;
    return this.oldestSentCache;
  }

  private meta(key: string): string | null {
    if (!this.metaCache) {
      this.metaCache = new Map(
        this.sql
          .exec<{ key: string; value: string }>("SELECT key, value FROM meta")
          .toArray()
          .map((r) => [r.key, r.value]),
      );
    }
    return this.metaCache.get(key) ?? null;
  }

  private setMeta(key: string, value: string | number): void {
    if (this.meta(key) === String(value)) return;
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      String(value),
    );
    this.metaCache!.set(key, String(value));
  }

  /** Sets several meta values in one statement (only those that changed). */
  private setMetas(entries: [string, string | number][]): void {
    const changed = entries.filter(([key, value]) => this.meta(key) !== String(value));
    if (!changed.length) return;
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ${changed.map(() => "(?, ?)").join(", ")} ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      ...changed.flatMap(([key, value]) => [key, String(value)]),
    );
    for (const [key, value] of changed) this.metaCache!.set(key, String(value));
  }

  private deleteMeta(key: string): void {
    if (this.meta(key) === null) return;
    this.sql.exec("DELETE FROM meta WHERE key = ?", key);
    this.metaCache!.delete(key);
  }

  /** Every observation by field and JSON value (cached). */
  private observations(): Map<string, Map<string, Observation>> {
    if (!this.obsCache) {
      const all = new Map<string, Map<string, Observation>>();
      for (const row of this.sql.exec<{
        name: string;
        value: string;
        first: number;
        last: number;
        count: number;
        fseq: number;
        lseq: number;
      }>("SELECT name, value, first, last, count, fseq, lseq FROM obs")) {
        let byValue = all.get(row.name);
        if (!byValue) all.set(row.name, (byValue = new Map()));
        byValue.set(row.value, {
          value: JSON.parse(row.value) as FieldValue,
          first: row.first,
          last: row.last,
          count: row.count,
          firstSeq: row.fseq,
          lastSeq: row.lseq,
        });
      }
      this.obsCache = all;
    }
    return this.obsCache;
  }

  private dropCaches(): void {
    this.metaCache = null;
    this.obsCache = null;
    this.idsCache = null;
    this.activityCache = null;
    this.outboxPending = null;
    this.oldestSentCache = undefined;
    this.membership.dropCache();
  }

  /** The stored activity state, parsed once per change. */
  private activity(): ActivityState {
    const json = this.meta("activity");
    if (this.activityCache?.json !== json) this.activityCache = { json, state: readActivity(json) };
    return this.activityCache.state;
  }

  /** Identifiers linked to the person (cached). */
  private identifiers(): IdentityKey[] {
    this.idsCache ??= this.sql
      .exec<{ field: string; value: string }>("SELECT field, value FROM ids ORDER BY field, value")
      .toArray()
      .map((r) => ({ field: r.field, value: r.value }));
    return this.idsCache;
  }

  /** Links identifiers to the person; a write only for new ones. */
  private link(keys: IdentityKey[]): void {
    const known = this.identifiers();
    for (const key of keys) {
      if (known.some((k) => k.field === key.field && k.value === key.value)) continue;
      this.sql.exec("INSERT OR IGNORE INTO ids (field, value) VALUES (?, ?)", key.field, key.value);
      this.idsCache = null;
    }
  }

  private num(key: string): number {
    return Number(this.meta(key) ?? 0);
  }

  /** Records events (skipping ids already seen) and links identifiers. */
  async ingest(
    cid: string,
    id: string,
    events: CollectEvent[],
    identifiers: IdentityKey[],
    options: FieldOptions = {},
  ): Promise<ProfileView | AliasAnswer | GoneAnswer> {
    if (this.meta("erased")) return { gone: true };
    const alias = this.meta("alias_of");
    if (alias) return { alias };
    const now = Date.now();
    // Trigger fields' values before this event, to report what it changed.
    const before = options.triggerFields?.length && this.meta("id") ? this.triggerValues(options) : null;
    if (!this.meta("id")) {
      this.setMeta("id", id);
      this.setMeta("cid", cid);
      this.setMeta("created", now);
    }
    this.link(identifiers);
    let sessions = this.num("sessions");
    let accepted = 0;
    let activity = this.activity();
    const firstVisits: string[] = [];
    const fresh: CollectEvent[] = [];
    let seq = this.num("obs_seq");
    for (const event of events) {
      // One statement both checks and records the event id: a duplicate writes no row.
      if (
        event._eid &&
        this.sql.exec("INSERT OR IGNORE INTO seen (eid, ts) VALUES (?, ?)", event._eid, now).rowsWritten === 0
      )
        continue;
      accepted++;
      fresh.push(event);
      if (startsSession(event) || (sessions === 0 && accepted === 1)) sessions++;
      // Each event gets the next arrival sequence: it orders events with the same time.
      seq++;
      const at = eventTime(event, now);
      activity = recordEvent(activity, { ts: at, sessionStart: startsSession(event) });
      for (const [name, value] of profileFieldsOf(event)) this.observe(name, value, at, seq);
      this.recent.record(event, at);
      const first = this.content.record(event, now);
      if (first) firstVisits.push(first);
    }
    // One write for the counters an event moves.
    const counters: [string, string | number][] = [["modified", now]];
    if (accepted > 0) {
      counters.push(
        ["obs_seq", seq],
        ["sessions", sessions],
        ["first_visit", this.meta("first_visit") ?? now],
        ["last_visit", now],
        ["events", this.num("events") + accepted],
        ["activity", JSON.stringify(activity)],
      );
    }
    this.setMetas(counters);
    if (Math.random() < 0.05) this.sql.exec("DELETE FROM seen WHERE ts < ?", now - DEDUP_WINDOW_MS);
    await this.xp.fold(cid, this.meta("id")!, fresh, now);
    const view = await this.settle(options, now, before);
    if (firstVisits.length) view.firstVisits = firstVisits;
    return view;
  }

  /** Current JSON values of the trigger fields. */
  private triggerValues(options: FieldOptions): Record<string, string> {
    const fields = this.view(options, new Set(options.triggerFields)).fields;
    return Object.fromEntries((options.triggerFields ?? []).map((f) => [f, JSON.stringify(fields[f] ?? null)]));
  }

  /**
   * Re-evaluates the person's audiences against the current fields,
   * records enter/exit changes, queues them as segment events (through a
   * transactional outbox, so none is lost if the queue refuses), and sets
   * the alarm for the next time-relative boundary. Returns the view.
   */
  private async settle(
    options: FieldOptions,
    now = Date.now(),
    before: Record<string, string> | null = null,
  ): Promise<ProfileView> {
    const cid = this.meta("cid")!;
    this.setMeta("field_options", JSON.stringify({ fields: options.fields ?? {} }));
    const { version, set, scoreFields, affinityThresholds } = await audienceSet(cid, options.segmentsVersion ?? 0, () =>
      this.definitions(cid),
    );
    const view = this.view(options);
    const manual = this.membership.manual();
    const evalProfile = { ...view.fields, [ASSIGNED_FIELD]: manual.assigned, [REMOVED_FIELD]: manual.removed };
    const changes = this.membership.apply(set.evaluate(evalProfile, now), now);
    this.setMeta("segments_version", version);
    const boundary = set.nextBoundary(evalProfile, now);
    if (boundary === null) {
      this.deleteMeta("next_boundary");
    } else this.setMeta("next_boundary", boundary);
    // Scores the audiences read decay at UTC midnights: wake then, not before.
    const scoreChange = nextScoreChange(this.activity(), now, scoreFields);
    if (scoreChange === null) this.deleteMeta("next_score_change");
    else this.setMeta("next_score_change", scoreChange);
    // Affinities decay: wake when one crosses a threshold the audiences compare it with.
    const affinityChange = this.content.nextChange(now, affinityThresholds);
    if (affinityChange === null) this.deleteMeta("next_affinity_change");
    else this.setMeta("next_affinity_change", affinityChange);
    const fieldChanges: FieldChange[] = [];
    for (const [field, prev] of Object.entries(before ?? {})) {
      const current = JSON.stringify(view.fields[field] ?? null);
      if (current !== prev)
        fieldChanges.push({
          field,
          previous: JSON.parse(prev) as FieldValue,
          current: JSON.parse(current) as FieldValue,
        });
    }
    if (changes.length || fieldChanges.length) {
      const message = this.membershipMessage(view, changes, now);
      if (message.type === "membership") {
        message.segments = this.membership.current();
        if (fieldChanges.length) message.field_changes = fieldChanges;
      }
      this.enqueue(message);
    }
    await this.flushOutbox();
    await this.xp.flush(cid);
    await this.scheduleAlarm();
    view.segments = this.membership.current();
    return view;
  }

  private definitions(cid: string): Promise<AudienceDefinitions> {
    const stub = this.env.ACCOUNT.get(this.env.ACCOUNT.idFromName(cid)) as unknown as {
      audienceDefinitions(): Promise<AudienceDefinitions>;
    };
    return stub.audienceDefinitions();
  }

  private membershipMessage(view: ProfileView, changes: AudienceChange[], now: number): AudienceQueueMessage {
    return {
      type: "membership",
      cid: view.cid,
      profile: view.id,
      seq: 0,
      at: new Date(now).toISOString(),
      changes,
      fields: view.fields,
    };
  }

  /** Stores a message in the outbox with the next sequence number. */
  private enqueue(message: AudienceQueueMessage): void {
    const seq = this.num("seq") + 1;
    this.setMeta("seq", seq);
    if (message.type === "membership") message.seq = seq;
    // Named by the object's own id: an erased profile no longer has an `id` in its meta.
    const profile = message.type === "membership" ? message.profile : message.profiles[0]!;
    message.outbox = { profile, seq };
    this.sql.exec("INSERT INTO outbox (seq, body) VALUES (?, ?)", seq, JSON.stringify(message));
    this.outboxPending = true;
  }

  /**
   * Sends the outbox messages not sent yet, and those sent but not
   * confirmed in time, in order. A message stays in the outbox until the
   * consumer confirms it ({@link confirm}): a queue that accepted it and then
   * lost it (a local queue's memory) costs a resend, not the message.
   */
  private async flushOutbox(): Promise<void> {
    const now = Date.now();
    const oldest = this.oldestSent();
    const resendDue = oldest !== null && oldest <= now - this.confirmMs();
    if (this.outboxPending === false && !resendDue) return;
    const rows = this.sql
      .exec<{ seq: number; body: string }>(
        "SELECT seq, body FROM outbox WHERE sent IS NULL OR sent <= ? ORDER BY seq LIMIT 100",
        now - this.confirmMs(),
      )
      .toArray();
    if (!rows.length) {
      this.outboxPending = false;
      return;
    }
    try {
      await this.env.SEGMENT_EVENTS.sendBatch(
        rows.map((r) => ({ body: JSON.parse(r.body) as AudienceQueueMessage, contentType: "json" as const })),
      );
      for (const r of rows) this.sql.exec("UPDATE outbox SET sent = ? WHERE seq = ?", now, r.seq);
      this.oldestSentCache = undefined;
      // More than a page was waiting: the next flush (or the alarm) sends the rest.
      this.outboxPending = rows.length === 100 ? null : false;
    } catch (err) {
      console.error("segment events not queued; will retry", err);
    }
  }

  async confirm(seqs: number[]): Promise<void> {
    for (const seq of seqs) this.sql.exec("DELETE FROM outbox WHERE seq = ?", seq);
    this.oldestSentCache = undefined;
    await this.scheduleAlarm();
  }

  /** One alarm serves the next audience boundary, the next score or affinity change, outbox retries and resends. */
  private async scheduleAlarm(): Promise<void> {
    if (this.outboxPending === null)
      this.outboxPending = this.sql.exec("SELECT 1 FROM outbox WHERE sent IS NULL LIMIT 1").toArray().length > 0;
    const pending = this.outboxPending || this.xp.pending();
    // Sent, not confirmed: wake when the oldest is due for a resend.
    const oldest = this.oldestSent();
    const resend = oldest === null ? null : oldest + this.confirmMs();
    const boundary = this.meta("next_boundary") ? this.num("next_boundary") : null;
    const scoreChange = this.meta("next_score_change") ? this.num("next_score_change") : null;
    const affinityChange = this.meta("next_affinity_change") ? this.num("next_affinity_change") : null;
    const times = [boundary, scoreChange, affinityChange, resend, pending ? Date.now() + OUTBOX_RETRY_MS : null].filter(
      (t): t is number => t !== null,
    );
    const want = times.length ? Math.min(...times) : null;
    // Most events change neither: skip the storage write.
    if (want === this.alarmAt) return;
    if (want === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(want);
    this.alarmAt = want;
  }

  /** Alarm: a time-relative boundary passed, a score changed with the day, an affinity decayed past a threshold, or the outbox needs a retry. */
  override async alarm(): Promise<void> {
    this.alarmAt = undefined;
    if (this.meta("alias_of") || !this.meta("id")) {
      await this.flushOutbox();
      if (this.meta("cid")) await this.xp.flush(this.meta("cid")!);
      await this.scheduleAlarm();
      return;
    }
    const options = JSON.parse(this.meta("field_options") ?? "{}") as FieldOptions;
    await this.settle({ ...options, segmentsVersion: 0 });
  }

  /** Re-evaluates audiences now (reevaluation jobs, definition changes). */
  async reevaluate(options: FieldOptions = {}): Promise<{ segments: string[] } | AliasAnswer | null> {
    const alias = this.meta("alias_of");
    if (alias) return { alias };
    if (!this.meta("id")) return null;
    const view = await this.settle(options);
    return { segments: view.segments };
  }

  /** Assigns the person to audiences by hand, or removes them (SegmentHub API). */
  async assign(add: string[], remove: string[], options: FieldOptions = {}): Promise<ProfileView | AliasAnswer | null> {
    const alias = this.meta("alias_of");
    if (alias) return { alias };
    if (!this.meta("id")) return null;
    this.membership.setManual(add, remove);
    return this.settle(options);
  }

  private observe(name: string, value: FieldValue, at: number, seq: number): void {
    const json = JSON.stringify(value);
    const all = this.observations();
    let byValue = all.get(name);
    const known = byValue?.get(json);
    if (known) {
      // Later in event time, or the same time and a later arrival: the newest sighting.
      if (at > known.last || (at === known.last && seq > (known.lastSeq ?? 0))) {
        known.last = at;
        known.lastSeq = seq;
      }
      if (at < known.first) {
        known.first = at;
        known.firstSeq = seq;
      }
      known.count++;
      this.sql.exec(
        "UPDATE obs SET first = ?, fseq = ?, last = ?, lseq = ?, count = ? WHERE name = ? AND value = ?",
        known.first,
        known.firstSeq ?? 0,
        known.last,
        known.lastSeq ?? 0,
        known.count,
        name,
        json,
      );
      return;
    }
    this.sql.exec(
      "INSERT INTO obs (name, value, first, last, count, fseq, lseq) VALUES (?, ?, ?, ?, 1, ?, ?)",
      name,
      json,
      at,
      at,
      seq,
      seq,
    );
    if (!byValue) all.set(name, (byValue = new Map()));
    byValue.set(json, {
      value: JSON.parse(json) as FieldValue,
      first: at,
      last: at,
      count: 1,
      firstSeq: seq,
      lastSeq: seq,
    });
    if (byValue.size > MAX_VALUES_PER_FIELD) {
      const oldest = [...byValue].sort((a, b) => a[1].last - b[1].last).slice(0, byValue.size - MAX_VALUES_PER_FIELD);
      for (const [v] of oldest) {
        this.sql.exec("DELETE FROM obs WHERE name = ? AND value = ?", name, v);
        byValue.delete(v);
      }
    }
  }

  /** The profile with fields combined, or an alias answer, or null if empty. */
  async read(options: FieldOptions = {}): Promise<ProfileView | AliasAnswer | null> {
    const alias = this.meta("alias_of");
    if (alias) return { alias };
    if (!this.meta("id")) return null;
    // Audiences changed since the last evaluation, or a time boundary (or score change) passed and the alarm is still due.
    const passed = (key: string) => this.meta(key) !== null && this.num(key) <= Date.now();
    const stale =
      (options.segmentsVersion ?? 0) > this.num("segments_version") ||
      passed("next_boundary") ||
      passed("next_score_change") ||
      passed("next_affinity_change");
    if (stale) return this.settle(options);
    const view = this.view(options);
    view.segments = this.membership.current();
    return view;
  }

  /** The profile's fields and metadata; with `only`, the stored fields outside it are left out. */
  private view(options: FieldOptions, only?: ReadonlySet<string>): ProfileView {
    const fields: Record<string, FieldValue> = {};
    for (const [name, byValue] of this.observations()) {
      if (only && !only.has(name)) continue;
      const settings = options.fields?.[name];
      const value = structuredClone(combine([...byValue.values()], settings?.merge ?? "latest"));
      fields[name] = settings?.type ? coerceField(value, settings.type) : value;
    }
    const identifiers = this.identifiers().map((k) => ({ ...k }));
    const created = this.num("created");
    const modified = this.num("modified");
    const iso = (ms: number) => new Date(ms).toISOString();
    fields._uids = identifiers.filter((k) => k.field === "_uid").map((k) => k.value);
    fields._created = iso(created);
    fields._modified = iso(modified);
    const sessions = this.num("sessions");
    fields.visitct = sessions;
    fields._sessions = sessions;
    if (this.meta("first_visit")) fields.first_visit = iso(this.num("first_visit"));
    if (this.meta("last_visit")) fields.last_visit = iso(this.num("last_visit"));
    Object.assign(fields, scoreFieldValues(this.activity(), Date.now()));
    Object.assign(fields, this.xp.fields());
    for (const key of identifiers)
      if (key.field !== "_uid" && fields[key.field] === undefined) fields[key.field] = key.value;
    Object.assign(fields, this.content.fields(Date.now()));
    const merged = this.sql
      .exec<{ id: string }>("SELECT id FROM absorbed ORDER BY id")
      .toArray()
      .map((r) => r.id);
    return {
      id: this.meta("id")!,
      cid: this.meta("cid")!,
      created,
      modified,
      identifiers,
      fields,
      merged,
      events: this.num("events"),
      refusedMerges: JSON.parse(this.meta("refused_merges") ?? "[]") as RefusedMerge[],
      segments: [],
      ...(this.content.has() ? { content: this.content.state() } : {}),
    };
  }

  /** Creation time, or null when the profile holds nothing yet. */
  async info(): Promise<{ created: number | null; alias: string | null; idCounts: Record<string, number> }> {
    const idCounts: Record<string, number> = {};
    for (const r of this.sql.exec<{ field: string; n: number }>("SELECT field, COUNT(*) AS n FROM ids GROUP BY field"))
      idCounts[r.field] = r.n;
    return { created: this.meta("created") ? this.num("created") : null, alias: this.meta("alias_of"), idCounts };
  }

  /** Records that a merge with other profiles was refused (shown in the profile's metadata). */
  async noteRefusedMerge(others: string[], reason: string): Promise<void> {
    if (!this.meta("id")) return;
    const list = JSON.parse(this.meta("refused_merges") ?? "[]") as RefusedMerge[];
    list.push({ with: others, reason, at: new Date().toISOString() });
    this.setMeta("refused_merges", JSON.stringify(list.slice(-20)));
  }

  /**
   * Marks this profile as merged into `masterId` and returns what it holds.
   * Idempotent: a repeated call returns the same snapshot. The data stays
   * until the person is erased, so a failed merge can be completed later.
   */
  async retire(masterId: string): Promise<ProfileSnapshot> {
    const current = this.meta("alias_of");
    if (current && current !== masterId) throw new Error(`profile already merged into ${current}`);
    if (!current) {
      this.setMeta("alias_of", masterId);
      const id = this.meta("id");
      if (id) this.enqueue({ type: "forget", cid: this.meta("cid")!, profiles: [id], reason: "merged" });
      await this.flushOutbox();
      await this.scheduleAlarm();
    }
    return this.snapshot();
  }

  private snapshot(): ProfileSnapshot {
    return {
      id: this.meta("id") ?? "",
      created: this.num("created") || Date.now(),
      modified: this.num("modified"),
      sessions: this.num("sessions"),
      events: this.num("events"),
      firstVisit: this.num("first_visit"),
      lastVisit: this.num("last_visit"),
      identifiers: this.sql
        .exec<{ field: string; value: string }>("SELECT field, value FROM ids")
        .toArray()
        .map((r) => ({ field: r.field, value: r.value })),
      observations: this.sql
        .exec<ProfileSnapshot["observations"][number]>("SELECT name, value, first, last, count, fseq, lseq FROM obs")
        .toArray()
        .map((r) => ({ ...r })),
      seen: this.sql
        .exec<{ eid: string; ts: number }>("SELECT eid, ts FROM seen")
        .toArray()
        .map((r) => ({ ...r })),
      merged: this.sql
        .exec<{ id: string }>("SELECT id FROM absorbed")
        .toArray()
        .map((r) => r.id),
      manual: this.membership.manual(),
      activity: this.meta("activity"),
      ...(this.content.has() ? { content: this.content.state() } : {}),
      ...(this.xp.isEmpty() ? {} : { experiences: this.xp.current() }),
      recent: this.recent.list(),
    };
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
    const alias = this.meta("alias_of");
    if (alias) return { alias };
    if (!this.meta("id")) {
      this.setMeta("id", id);
      this.setMeta("cid", cid);
      this.setMeta("created", source.created);
    }
    if (this.sql.exec("SELECT 1 FROM absorbed WHERE id = ?", source.id).toArray().length > 0)
      return this.read(options) as Promise<ProfileView>;
    this.dropCaches();
    let seqs = this.num("obs_seq");
    this.ctx.storage.transactionSync(() => {
      for (const o of source.observations) {
        this.sql.exec(
          `INSERT INTO obs (name, value, first, last, count, fseq, lseq) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(name, value) DO UPDATE SET first = MIN(first, excluded.first), last = MAX(last, excluded.last), count = count + excluded.count,
           fseq = CASE WHEN excluded.first < first THEN excluded.fseq ELSE fseq END,
           lseq = CASE WHEN excluded.last > last OR (excluded.last = last AND excluded.lseq > lseq) THEN excluded.lseq ELSE lseq END`,
          o.name,
          o.value,
          o.first,
          o.last,
          o.count,
          o.fseq ?? 0,
          o.lseq ?? 0,
        );
        seqs = Math.max(seqs, o.fseq ?? 0, o.lseq ?? 0);
      }
      for (const k of source.identifiers)
        this.sql.exec("INSERT OR IGNORE INTO ids (field, value) VALUES (?, ?)", k.field, k.value);
      for (const s of source.seen) this.sql.exec("INSERT OR IGNORE INTO seen (eid, ts) VALUES (?, ?)", s.eid, s.ts);
      for (const m of [source.id, ...source.merged]) this.sql.exec("INSERT OR IGNORE INTO absorbed (id) VALUES (?)", m);
      this.membership.absorbManual(source.manual ?? { assigned: [], removed: [] });
      if (source.content) this.content.absorb(source.content);
      if (source.experiences) this.xp.absorb(source.experiences);
      if (source.recent) this.recent.insert(source.recent);
      // Events after the merge come after every absorbed one.
      this.setMeta("obs_seq", seqs);
      this.setMeta("created", Math.min(this.num("created") || source.created, source.created));
      this.setMeta("sessions", this.num("sessions") + source.sessions);
      this.setMeta("events", this.num("events") + source.events);
      const visits = [this.num("first_visit"), source.firstVisit].filter((t) => t > 0);
      if (visits.length) this.setMeta("first_visit", Math.min(...visits));
      const last = Math.max(this.num("last_visit"), source.lastVisit);
      if (last > 0) this.setMeta("last_visit", last);
      this.setMeta("modified", Date.now());
      if (source.activity) {
        const merged = mergeActivity(readActivity(this.meta("activity")), readActivity(source.activity));
        this.setMeta("activity", JSON.stringify(merged));
      }
    });
    this.dropCaches();
    return this.settle(options);
  }

  /** Everything this profile holds, for a data-subject export (null when empty). */
  async dump(): Promise<ProfileSnapshot | null> {
    return this.meta("id") ? this.snapshot() : null;
  }

  /** Erases everything this profile holds (GDPR/CCPA). */
  async erase(): Promise<void> {
    const id = this.meta("id");
    const cid = this.meta("cid");
    await this.ctx.storage.deleteAlarm();
    this.alarmAt = undefined;
    await this.ctx.storage.deleteAll();
    this.dropCaches();
    this.sql.exec(SCHEMA);
    this.membership = new MembershipTable(this.sql);
    this.xp = new ExperienceFold(this.sql, this.env);
    this.recent = new RecentEventLog(this.sql);
    // A tombstone: callers holding this id in a cache learn it is gone.
    this.setMeta("erased", 1);
    if (id && cid) {
      // The index must forget the person too; the message is about the id only.
      this.enqueue({ type: "forget", cid, profiles: [id], reason: "erased" });
      await this.flushOutbox();
      await this.scheduleAlarm();
    }
  }

  /** Audience history for exports. */
  async audienceHistory(): Promise<AudienceHistoryEntry[]> {
    return this.membership.history();
  }

  /** The last events this profile accepted, newest first. */
  async recentEvents(limit?: number): Promise<RecentEvent[]> {
    return this.meta("id") ? this.recent.list(limit) : [];
  }
}
