/**
 * An experience's report (`GET /api/experience/:id/report`) as the edge
 * builds it and the console shows it: its shape, the arithmetic of its rates
 * and lift, and how the console writes them. One module, so the report API
 * and the console cannot drift apart.
 *
 * Pure functions and types only: no I/O, no globals beyond `Date`, nothing
 * of the project imported (browser code may import `types/` only).
 */

/** One day of a variation's series; `conversion_rate` is cumulative up to that day. */
export interface ReportDay<E extends string = string> {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  reach: number;
  conversions: number;
  goal_conversions: number;
  conversion_rate: number;
  /** Raw widget events by kind. */
  events: Partial<Record<E, number>>;
}

/** A variation's report. */
export interface VariationReport<E extends string = string> {
  id: string;
  name: string;
  reach: number;
  conversions: number;
  conversion_rate: number;
  goal_conversions: number;
  goal_rate: number;
  /** Goal rate / control's goal rate − 1; null without a control group, a goal or control conversions ({@link lift}). */
  lift: number | null;
  events: Partial<Record<E, number>>;
  series: ReportDay<E>[];
}

/** The report of `GET /api/experience/:id/report` (`T`: the tactics, `E`: the widget event kinds). */
export interface ExperienceReport<T extends string = string, E extends string = string> {
  id: string;
  name: string;
  tactic: T;
  /** What a conversion is for this tactic ("form submit", ...). */
  conversion: string;
  /** The goal event, or null. */
  goal: string | null;
  totals: { reach: number; conversions: number; conversion_rate: number };
  variations: VariationReport<E>[];
  control: { reach: number; goal_conversions: number; goal_rate: number; series: ReportDay<E>[] } | null;
}

/** `n / d`, or 0 when nothing was counted (`d` is 0): a rate is never NaN. */
export const rate = (n: number, d: number): number => (d > 0 ? n / d : 0);

/**
 * Lift of a variation: its goal rate / the control group's goal rate − 1
 * (0.5 is 50% better than showing nothing). Null when there is nothing to
 * compare with: `controlGoalRate` null (no control group, or no goal event)
 * or 0 (no control conversions yet).
 */
export function lift(goalRate: number, controlGoalRate: number | null): number | null {
  return controlGoalRate !== null && controlGoalRate > 0 ? goalRate / controlGoalRate - 1 : null;
}

const DAY_MS = 86_400_000;

/** Every UTC day (`YYYY-MM-DD`) from `from` to `to` inclusive, at most `max` of them (empty when `to` is before `from`). */
export function daysBetween(from: string, to: string, max = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  const last = Date.parse(to);
  for (let t = Date.parse(from); t <= last && out.length < max; t += DAY_MS)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** A rate as the console writes it: a percentage with one decimal (`0.225` → `22.5%`). */
export const percent = (r: number): string => `${(r * 100).toFixed(1)}%`;

/** A lift as the console writes it: signed percentage (`+50.0%`, `-25.0%`), or `—` when there is none. */
export const liftText = (l: number | null): string => (l === null ? "—" : `${l >= 0 ? "+" : ""}${percent(l)}`);
