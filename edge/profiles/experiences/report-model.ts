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
 * This module holds the report's model (deltas, states, widget events,
 * shard names); `fold.ts` folds events, `experience-fold.ts` stores the
 * state in the profile object.
 *
 * It lives in `profiles/` because the profile object runs it; the
 * experiences domain (above) re-exports it and implements the two RPC
 * interfaces declared here ({@link ExperienceSummarySource},
 * {@link ReportShardSink}).
 */
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
export type Assignment = string;

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
