/**
 * Experience reporting: reach, conversions, conversion rate, a daily
 * series, and the control group's goal conversions for lift, counted from
 * the widget tracking events (`pf-widget-*`) the widgets send through the
 * tag.
 *
 * Definitions (per variation, and for the control group):
 * - **reach**: unique profiles shown the variation (`pf-widget-event:
 *   show`); for the control group, unique profiles held out (`holdout`,
 *   sent by the loader instead of showing anything).
 * - **conversions**: unique profiles that converted as the tactic defines
 *   it (see `tactics.ts`: click-through, form submit, recommendation click,
 *   gate unlock). A conversion arriving before its `show` also counts the
 *   reach, so the rate never exceeds 1.
 * - **conversion rate**: conversions / reach.
 * - **goal conversions**: unique profiles that, after being reached (or
 *   held out), sent the experience's goal event (`_e`, e.g. `purchase`).
 *   **Lift** of a variation = its goal rate / the control's goal rate − 1.
 * - **events**: raw widget events by kind (retries excluded).
 *
 * The variation comes from `pf-widget-id` (`{experience id}-{variation
 * id}`), not `pf-widget-variant`, which is Pathfora's layout variant (1
 * text, 2 image, 3 recommendation). Widgets that are not Pathlight
 * experiences are ignored.
 *
 * ## Where counting happens (sharding)
 *
 * Uniqueness is decided in the **profile object**, which already receives
 * every event of its profile and nothing else: {@link foldEvent} keeps, in
 * the profile, the experiences and variations it reached, converted on and
 * reached the goal of ({@link ProfileExperienceState}, surfaced as the
 * profile fields `experiences_reached` / `experiences_converted` for
 * campaign-data audiences), and yields {@link ReportDelta}s — "+1 reach",
 * "+1 conversion", "+1 show event" — only plain sums from there on.
 * Sums shard freely: a delta goes to report shard
 * {@link reportShardOf}`(experience, profile)` — one of
 * {@link REPORT_SHARDS} counter objects per experience, chosen by the
 * profile's hash — so no object sees every event of the account, nor even
 * every event of one site-wide experience, and no object holds a set of
 * all profile ids. `GET /api/experience/:id/report` reads the shards and
 * sums them ({@link mergeCounters}, {@link buildReport}).
 *
 * Rejected: one counter object per experience (a site-wide experience puts
 * every page view's `show` on one object, and unique reach needs every
 * profile id there); counting in the account object (every event of the
 * account on one object).
 *
 * ## Idempotency
 *
 * A delta's id is `{profile key}/{event id}` (`/{experience id}` for goal
 * deltas): a retried event yields the same ids. The profile's flags make
 * reach and conversions idempotent by themselves; {@link applyDelta}
 * ignores a delta id its shard has seen, which covers raw event counts and
 * retried deliveries of deltas. The profile object must write its state
 * and the deltas it owes (an outbox) in one transaction, then deliver them
 * until acknowledged; shards keep seen ids for a retention window (a week
 * is ample for retries).
 */
import { foldEvent as foldProfileEvent } from "../profiles/experiences/fold";
import {
  CONTROL,
  dayOf,
  type ProfileExperienceState,
  type ReportDelta,
  type TrackingEvent,
} from "../profiles/experiences/report-model";
import type { Assignment, Experience, ExperienceGoal, Tactic, VariationCounters, WidgetEventKind } from "./contract";
import { tacticSpec } from "./tactics";

export { emptyProfileState, profileFields } from "../profiles/experiences/fold";
export {
  dayOf,
  REPORT_SHARDS,
  reportShardOf,
  type TrackingEvent,
  type WidgetEvent,
  widgetEventOf,
} from "../profiles/experiences/report-model";

/** What the report needs to know about an experience. */
export interface ReportedExperience {
  tactic: Tactic;
  goal: ExperienceGoal | null;
}

/** The summary the profile-side fold needs: the tactic's conversion events and the goal event. */
export function summaryOf(e: ReportedExperience): { conversion: readonly WidgetEventKind[]; goal: string | null } {
  return { conversion: tacticSpec(e.tactic).conversion, goal: e.goal?.event ?? null };
}

/**
 * Folds one collected event into the profile's experience state (see
 * `profiles/experiences/`, where the profile object runs it): a new
 * state and the report deltas it owes. Idempotent.
 *
 * @param experiences looks up an experience of the account (undefined: deleted, ignore)
 * @param profileKey the profile's stable key
 */
export function foldEvent(
  state: ProfileExperienceState,
  event: TrackingEvent,
  experiences: (id: string) => ReportedExperience | undefined,
  profileKey: string,
): { state: ProfileExperienceState; deltas: ReportDelta[] } {
  return foldProfileEvent(
    state,
    event,
    (id) => {
      const e = experiences(id);
      return e && summaryOf(e);
    },
    profileKey,
  );
}

/** Counters of one variation: all time and by UTC day. */
export interface VariationTally {
  total: VariationCounters;
  days: Record<string, VariationCounters>;
}

/** The counters of one experience (one shard's, or the sum of all). */
export interface ExperienceCounters {
  variations: Record<Assignment, VariationTally>;
}

/** Delta ids a shard has applied. */
export interface SeenIds {
  has(id: string): boolean;
  add(id: string): void;
}

/** Counters with nothing counted. */
export function emptyCounters(): ExperienceCounters {
  return { variations: {} };
}

const zero = (): VariationCounters => ({ reach: 0, conversions: 0, goal_conversions: 0, events: {} });

function add(into: VariationCounters, d: VariationCounters): void {
  into.reach += d.reach;
  into.conversions += d.conversions;
  into.goal_conversions += d.goal_conversions;
  for (const [k, n] of Object.entries(d.events) as [WidgetEventKind, number][])
    into.events[k] = (into.events[k] ?? 0) + n;
}

/**
 * Adds `delta` to `counters` (in place) unless `seen` has its id; records
 * the id. Returns whether it was applied.
 */
export function applyDelta(counters: ExperienceCounters, delta: ReportDelta, seen: SeenIds): boolean {
  if (seen.has(delta.id)) return false;
  seen.add(delta.id);
  const tally = (counters.variations[delta.variation] ??= { total: zero(), days: {} });
  const inc: VariationCounters = {
    reach: delta.reach,
    conversions: delta.conversions,
    goal_conversions: delta.goal_conversions,
    events: delta.event ? { [delta.event]: 1 } : {},
  };
  add(tally.total, inc);
  add((tally.days[delta.day] ??= zero()), inc);
  return true;
}

/** The sum of shards' counters. */
export function mergeCounters(parts: Iterable<ExperienceCounters>): ExperienceCounters {
  const out = emptyCounters();
  for (const part of parts)
    for (const [variation, tally] of Object.entries(part.variations)) {
      const into = (out.variations[variation] ??= { total: zero(), days: {} });
      add(into.total, tally.total);
      for (const [day, c] of Object.entries(tally.days)) add((into.days[day] ??= zero()), c);
    }
  return out;
}

/** One day of a variation's series; `conversion_rate` is cumulative up to that day. */
export interface ReportDay {
  day: string;
  reach: number;
  conversions: number;
  goal_conversions: number;
  conversion_rate: number;
  events: Partial<Record<WidgetEventKind, number>>;
}

/** A variation's report. */
export interface VariationReport {
  id: string;
  name: string;
  reach: number;
  conversions: number;
  conversion_rate: number;
  goal_conversions: number;
  goal_rate: number;
  /** Goal rate / control's goal rate − 1; null without a control group, a goal or control conversions. */
  lift: number | null;
  events: Partial<Record<WidgetEventKind, number>>;
  series: ReportDay[];
}

/** The report of `GET /api/experience/:id/report`. */
export interface ExperienceReport {
  id: string;
  name: string;
  tactic: Tactic;
  /** What a conversion is for this tactic ("form submit", ...). */
  conversion: string;
  /** The goal event, or null. */
  goal: string | null;
  totals: { reach: number; conversions: number; conversion_rate: number };
  variations: VariationReport[];
  control: { reach: number; goal_conversions: number; goal_rate: number; series: ReportDay[] } | null;
}

const rate = (n: number, d: number) => (d > 0 ? n / d : 0);

/** Every day from `from` to `to` inclusive. */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(dayOf(t));
  return out;
}

function series(tally: VariationTally | undefined, days: string[]): ReportDay[] {
  let reach = 0;
  let conversions = 0;
  return days.map((day) => {
    const c = tally?.days[day] ?? zero();
    reach += c.reach;
    conversions += c.conversions;
    return { day, ...c, events: { ...c.events }, conversion_rate: rate(conversions, reach) };
  });
}

/**
 * The report of `experience` from its summed counters. The series runs
 * over every day from the first counted to the last (empty days included),
 * limited to `range` when given (`YYYY-MM-DD`, inclusive).
 */
export function buildReport(
  experience: Pick<Experience, "id" | "name" | "tactic" | "goal" | "variations">,
  counters: ExperienceCounters,
  range: { from?: string; to?: string } = {},
): ExperienceReport {
  const counted = Object.values(counters.variations).flatMap((t) => Object.keys(t.days));
  const sorted = counted.sort();
  const from = range.from ?? sorted[0];
  const to = range.to ?? sorted[sorted.length - 1];
  const days = from && to ? daysBetween(from, to) : [];
  const control = counters.variations[CONTROL];
  const controlRate = control ? rate(control.total.goal_conversions, control.total.reach) : 0;
  const ids = [
    ...experience.variations.map((v) => v.id),
    ...Object.keys(counters.variations).filter(
      (id) => id !== CONTROL && !experience.variations.some((v) => v.id === id),
    ),
  ];
  const variations = ids.map((id): VariationReport => {
    const t = counters.variations[id]?.total ?? zero();
    const goalRate = rate(t.goal_conversions, t.reach);
    return {
      id,
      name: experience.variations.find((v) => v.id === id)?.name ?? `${id} (removed)`,
      reach: t.reach,
      conversions: t.conversions,
      conversion_rate: rate(t.conversions, t.reach),
      goal_conversions: t.goal_conversions,
      goal_rate: goalRate,
      lift: experience.goal && control && controlRate > 0 ? goalRate / controlRate - 1 : null,
      events: { ...t.events },
      series: series(counters.variations[id], days),
    };
  });
  const reach = variations.reduce((n, v) => n + v.reach, 0);
  const conversions = variations.reduce((n, v) => n + v.conversions, 0);
  return {
    id: experience.id,
    name: experience.name,
    tactic: experience.tactic,
    conversion: tacticSpec(experience.tactic).conversion_label,
    goal: experience.goal?.event ?? null,
    totals: { reach, conversions, conversion_rate: rate(conversions, reach) },
    variations,
    control: control
      ? {
          reach: control.total.reach,
          goal_conversions: control.total.goal_conversions,
          goal_rate: controlRate,
          series: series(control, days),
        }
      : null,
  };
}
