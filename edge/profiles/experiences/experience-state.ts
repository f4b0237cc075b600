/**
 * The profile side of experience reporting: what a profile remembers about
 * the experiences it met, and the report deltas it owes.
 *
 * Uniqueness (one reach, one conversion per profile and experience) is
 * decided here, in the profile object, which sees every event of its
 * profile and nothing else. The profile object folds each accepted event
 * ({@link foldEvent}), keeps the state and an outbox of deltas in its own
 * storage (written in the same request, so the profile and the deltas it
 * owes never disagree), and delivers the deltas to the experience's report
 * shards until they are acknowledged ({@link ExperienceFold}). The shards
 * only add (`experiences/report.ts`), ignoring delta ids they have seen.
 *
 * It lives in `profiles/` because the profile object runs it; the
 * experiences domain (above) re-exports it and implements the two RPC
 * interfaces declared here ({@link ExperienceSummarySource},
 * {@link ReportShardSink}).
 */
import type { CollectEvent } from "../../../types/wire";
import type { Env } from "../../platform/env";
import { IsolateCache } from "../../platform/isolate-cache";
import { stubOf } from "../../platform/stub";

/** The widget events (`pf-widget-event`) the report counts. */
export type WidgetEventKind =
  | "show"
  | "close"
  | "confirm"
  | "cancel"
  | "submit"
  | "unlock"
  | "subscribe"
  | "recommendation_click"
  | "holdout";

/** A variation id, or `control`. */
type Assignment = string;

/** The control group's variation key. */
export const CONTROL = "control";

/** Report counter objects per experience. */
export const REPORT_SHARDS = 16;

/**
 * An increment to the report, produced where the profile's state lives
 * (the profile object) and applied to a report shard. `id` makes applying
 * it idempotent.
 */
export interface ReportDelta {
  /** `{profile key}/{event id}`: unique per source event. */
  id: string;
  experience_id: string;
  /** Variation id or `control`. */
  variation: Assignment;
  /** UTC day `YYYY-MM-DD` of the event. */
  day: string;
  reach: 0 | 1;
  conversions: 0 | 1;
  goal_conversions: 0 | 1;
  event: WidgetEventKind | null;
}

/** What the profile remembers about its experiences (also surfaced as profile fields). */
export interface ProfileExperienceState {
  /** Experience id → variation the profile was shown (or held out in). */
  reached: Record<string, Assignment>;
  /** Experience id → variation the profile converted on. */
  converted: Record<string, Assignment>;
  /** Experience id → variation the profile reached the goal event in. */
  goals: Record<string, Assignment>;
}

/** One collected event, as the profile object sees it. */
export interface TrackingEvent {
  /** Event id (`_eid`, or the collector's own), the same on every retry. */
  id: string;
  /** Event time, epoch milliseconds. */
  ts: number;
  /** Event type (`_e`), if any. */
  type?: string | undefined;
  /** The event's fields (`pf-widget-id`, `pf-widget-event`, ...). */
  fields: Readonly<Record<string, unknown>>;
}

/** A widget event of a Pathlight experience. */
export interface WidgetEvent {
  experience_id: string;
  variation: Assignment;
  kind: WidgetEventKind;
}

/** What folding needs to know about an experience: its conversion events and goal event. */
export interface ExperienceSummary {
  /** Widget events that count as a conversion (from the tactic). */
  conversion: readonly WidgetEventKind[];
  /** Goal event type (`_e`), or null. */
  goal: string | null;
}

/** RPC the experiences store answers for profile objects (implemented by the experiences object). */
export interface ExperienceSummarySource {
  /** Every experience of the account (any status) by id. */
  summaries(): Promise<Record<string, ExperienceSummary>>;
}

/** RPC of a report shard (implemented by the experiences object). */
export interface ReportShardSink {
  /** Adds the deltas not seen before; returns how many were applied. */
  applyDeltas(deltas: ReportDelta[]): Promise<number>;
}

/** The Durable Object name of the store of account `cid`'s experiences. */
export const experienceStoreName = (cid: string): string => `store:${cid}`;

/** The Durable Object name of a report shard (`shard` from {@link reportShardOf}). */
export const reportShardName = (cid: string, shard: string): string => `report:${cid}:${shard}`;

/** FNV-1a 32-bit over UTF-16 code units with MurmurHash3's fmix32 finaliser; unsigned. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The report shard a profile's deltas for an experience go to: `{experience id}/{0..shards-1}`. */
export function reportShardOf(experienceId: string, profileKey: string, shards = REPORT_SHARDS): string {
  return `${experienceId}/${hash32(profileKey) % shards}`;
}

/**
 * The experience and variation a tracking event's `pf-widget-id` names, or
 * undefined for widgets that are not Pathlight experiences (a site's own
 * `pathfora.Message({id: "promo"})`).
 */
export function parseWidgetId(id: string): { experience_id: string; variation: string } | undefined {
  const m = /^([0-9a-f]{32})-([a-z0-9_]{1,32})$/.exec(id);
  return m ? { experience_id: m[1]!, variation: m[2]! } : undefined;
}

const KINDS: readonly string[] = ["show", "close", "confirm", "cancel", "submit", "unlock", "subscribe", "holdout"];

/**
 * The experience widget event in `fields`, or undefined (not a widget
 * event, a site's own widget, or an event the report does not count such
 * as `hover` or `focus`). A `confirm` on a recommendation
 * (`pf-widget-action: content recommendation`) is a `recommendation_click`.
 */
export function widgetEventOf(fields: Readonly<Record<string, unknown>>): WidgetEvent | undefined {
  const id = fields["pf-widget-id"];
  const event = fields["pf-widget-event"];
  if (typeof id !== "string" || typeof event !== "string" || !KINDS.includes(event)) return undefined;
  const parsed = parseWidgetId(id);
  if (!parsed) return undefined;
  if ((parsed.variation === CONTROL) !== (event === "holdout")) return undefined;
  const kind: WidgetEventKind =
    event === "confirm" && fields["pf-widget-action"] === "content recommendation"
      ? "recommendation_click"
      : (event as WidgetEventKind);
  return { experience_id: parsed.experience_id, variation: parsed.variation, kind };
}

/** The UTC day `YYYY-MM-DD` of epoch milliseconds. */
export function dayOf(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

/** A profile that has not met any experience. */
export function emptyProfileState(): ProfileExperienceState {
  return { reached: {}, converted: {}, goals: {} };
}

/**
 * Folds one collected event into the profile's experience state: a new
 * state (the input is untouched) and the report deltas it owes. Idempotent:
 * folding the same event again changes nothing and yields deltas with the
 * same ids (which shards ignore).
 *
 * @param experiences looks up an experience of the account (undefined: deleted, ignore)
 * @param profileKey the profile's stable key
 */
export function foldEvent(
  state: ProfileExperienceState,
  event: TrackingEvent,
  experiences: (id: string) => ExperienceSummary | undefined,
  profileKey: string,
): { state: ProfileExperienceState; deltas: ReportDelta[] } {
  const next: ProfileExperienceState = {
    reached: { ...state.reached },
    converted: { ...state.converted },
    goals: { ...state.goals },
  };
  const deltas: ReportDelta[] = [];
  const day = dayOf(event.ts);
  const widget = widgetEventOf(event.fields);
  const exp = widget && experiences(widget.experience_id);
  if (widget && exp) {
    const { experience_id, variation, kind } = widget;
    const converts = variation !== CONTROL && exp.conversion.includes(kind);
    const reach = (kind === "show" || kind === "holdout" || converts) && !(experience_id in next.reached);
    const conversion = converts && !(experience_id in next.converted);
    if (reach) next.reached[experience_id] = variation;
    if (conversion) next.converted[experience_id] = variation;
    deltas.push({
      id: `${profileKey}/${event.id}`,
      experience_id,
      variation,
      day,
      reach: reach ? 1 : 0,
      conversions: conversion ? 1 : 0,
      goal_conversions: 0,
      event: kind,
    });
  }
  if (event.type !== undefined) {
    for (const [experience_id, variation] of Object.entries(state.reached)) {
      if (experience_id in next.goals || experiences(experience_id)?.goal !== event.type) continue;
      next.goals[experience_id] = variation;
      deltas.push({
        id: `${profileKey}/${event.id}/${experience_id}`,
        experience_id,
        variation,
        day,
        reach: 0,
        conversions: 0,
        goal_conversions: 1,
        event: null,
      });
    }
  }
  return { state: next, deltas };
}

/**
 * Profile fields for campaign-data audiences: each experience id, and
 * `{experience id}:{variation}`, the profile reached / converted on — so
 * "reached variation A and did not convert" is
 * `experiences_reached` contains `{id}:a` and `experiences_converted` does
 * not contain `{id}`.
 */
export function profileFields(state: ProfileExperienceState): {
  experiences_reached: string[];
  experiences_converted: string[];
} {
  const list = (m: Record<string, Assignment>) => Object.entries(m).flatMap(([id, v]) => [id, `${id}:${v}`]);
  return { experiences_reached: list(state.reached), experiences_converted: list(state.converted) };
}

// ---------------------------------------------------------------------------
// Storage in the profile object.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS xp_state (k INTEGER PRIMARY KEY CHECK (k = 0), body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS xp_outbox (id TEXT PRIMARY KEY, shard TEXT NOT NULL, body TEXT NOT NULL);
`;

/** Experience summaries by account, per isolate (an unknown id triggers one refresh). */
const SUMMARIES = new IsolateCache<Record<string, ExperienceSummary>>(30_000, 1_000);

/** Does the event carry a widget tracking field? (cheap pre-check before any lookup) */
const isWidgetEvent = (e: CollectEvent) => typeof e["pf-widget-id"] === "string";

/**
 * The experience state of one profile, in the profile object's SQLite
 * storage: the state row and the outbox of deltas owed to report shards.
 * Profiles that never meet an experience pay one cheap check per event.
 */
export class ExperienceFold {
  private state: ProfileExperienceState | null = null;
  /** Whether the outbox may hold deltas (null: unknown, ask storage); most profiles never have any. */
  private waiting: boolean | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
  ) {
    sql.exec(SCHEMA);
  }

  /** The stored state (empty when the profile met no experience). */
  current(): ProfileExperienceState {
    if (!this.state) {
      const row = this.sql.exec<{ body: string }>("SELECT body FROM xp_state WHERE k = 0").toArray()[0];
      this.state = row ? (JSON.parse(row.body) as ProfileExperienceState) : emptyProfileState();
    }
    return this.state;
  }

  /** The profile fields `experiences_reached` / `experiences_converted` (none until an experience is met). */
  fields(): Record<string, string[]> {
    const s = this.current();
    if (!Object.keys(s.reached).length && !Object.keys(s.converted).length) return {};
    return profileFields(s);
  }

  /**
   * Folds accepted events (widget events and, once a profile has reached
   * an experience, goal events), stores the new state and queues the
   * deltas. Call `flush` afterwards.
   */
  async fold(cid: string, profileKey: string, events: readonly CollectEvent[], now: number): Promise<void> {
    const reachedSome = Object.keys(this.current().reached).length > 0;
    const relevant = events.filter((e) => isWidgetEvent(e) || (reachedSome && typeof e._e === "string"));
    if (!relevant.length) return;
    const lookup = await this.lookup(cid, relevant);
    let state = this.current();
    const deltas: ReportDelta[] = [];
    relevant.forEach((e, i) => {
      const tracked: TrackingEvent = {
        id: e._eid ?? `${now}.${i}`,
        ts: typeof e._ts === "number" && e._ts > 0 ? e._ts : now,
        type: typeof e._e === "string" ? e._e : undefined,
        fields: e,
      };
      const out = foldEvent(state, tracked, lookup, profileKey);
      state = out.state;
      deltas.push(...out.deltas);
    });
    this.store(state);
    for (const d of deltas)
      this.sql.exec(
        "INSERT OR IGNORE INTO xp_outbox (id, shard, body) VALUES (?, ?, ?)",
        d.id,
        reportShardOf(d.experience_id, profileKey),
        JSON.stringify(d),
      );
    if (deltas.length) this.waiting = true;
  }

  private async lookup(
    cid: string,
    events: readonly CollectEvent[],
  ): Promise<(id: string) => ExperienceSummary | undefined> {
    let map = SUMMARIES.get(cid);
    const ids = events.flatMap((e) => {
      const w = widgetEventOf(e);
      return w ? [w.experience_id] : [];
    });
    if (!map || ids.some((id) => !(id in map!))) {
      map = await stubOf<ExperienceSummarySource>(this.env.EXPERIENCES, experienceStoreName(cid)).summaries();
      SUMMARIES.set(cid, map);
    }
    const found = map;
    return (id) => found[id];
  }

  /** Whether deltas wait for delivery. */
  pending(): boolean {
    this.waiting ??= this.sql.exec("SELECT 1 FROM xp_outbox LIMIT 1").toArray().length > 0;
    return this.waiting;
  }

  /** Delivers queued deltas to their shards; keeps what failed for the next try. */
  async flush(cid: string): Promise<void> {
    if (this.waiting === false) return;
    const rows = this.sql
      .exec<{ id: string; shard: string; body: string }>("SELECT id, shard, body FROM xp_outbox LIMIT 200")
      .toArray();
    // Unknown again after a send: a failed shard keeps its rows.
    this.waiting = rows.length ? null : false;
    if (!rows.length) return;
    const byShard = new Map<string, { ids: string[]; deltas: ReportDelta[] }>();
    for (const r of rows) {
      const group = byShard.get(r.shard) ?? { ids: [], deltas: [] };
      group.ids.push(r.id);
      group.deltas.push(JSON.parse(r.body) as ReportDelta);
      byShard.set(r.shard, group);
    }
    await Promise.all(
      [...byShard].map(async ([shard, group]) => {
        try {
          await stubOf<ReportShardSink>(this.env.EXPERIENCES, reportShardName(cid, shard)).applyDeltas(group.deltas);
          for (const id of group.ids) this.sql.exec("DELETE FROM xp_outbox WHERE id = ?", id);
        } catch (err) {
          console.error("experience report deltas not delivered; will retry", err);
        }
      }),
    );
  }

  /**
   * Takes in what a merged-away profile met: for each experience, this
   * profile's own assignment wins, otherwise the absorbed one's is kept, so
   * reach and conversions stay counted once (the absorbed profile's deltas
   * were already sent under its own key).
   */
  absorb(other: ProfileExperienceState): void {
    const mine = this.current();
    const merged: ProfileExperienceState = {
      reached: { ...other.reached, ...mine.reached },
      converted: { ...other.converted, ...mine.converted },
      goals: { ...other.goals, ...mine.goals },
    };
    this.store(merged);
  }

  private store(state: ProfileExperienceState): void {
    this.state = state;
    this.sql.exec(
      "INSERT INTO xp_state (k, body) VALUES (0, ?) ON CONFLICT(k) DO UPDATE SET body = excluded.body",
      JSON.stringify(state),
    );
  }

  /** True when the profile met no experience. */
  isEmpty(): boolean {
    const s = this.current();
    return !Object.keys(s.reached).length && !Object.keys(s.converted).length && !Object.keys(s.goals).length;
  }

  /** Forgets everything (erase). */
  clear(): void {
    this.sql.exec("DELETE FROM xp_state");
    this.sql.exec("DELETE FROM xp_outbox");
    this.state = null;
    this.waiting = false;
  }
}
