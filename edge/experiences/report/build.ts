/**
 * The report of `GET /api/experience/:id/report`, built from the counters
 * summed over an experience's report shards (see `counters.ts`).
 */
import {
  daysBetween,
  lift,
  rate,
  type ExperienceReport as SharedExperienceReport,
  type ReportDay as SharedReportDay,
  type VariationReport as SharedVariationReport,
} from "../../../types/experience-report";
import { CONTROL } from "../../profiles/experiences/report-model";
import type { Experience, Tactic, WidgetEventKind } from "../contract";
import { tacticSpec } from "../model/tactics";
import { type ExperienceCounters, type VariationTally, zeroCounters } from "./counters";

/** One day of a variation's series; `conversion_rate` is cumulative up to that day. */
export type ReportDay = SharedReportDay<WidgetEventKind>;

/** A variation's report. */
export type VariationReport = SharedVariationReport<WidgetEventKind>;

/** The report of `GET /api/experience/:id/report`. */
export type ExperienceReport = SharedExperienceReport<Tactic, WidgetEventKind>;

function series(tally: VariationTally | undefined, days: string[]): ReportDay[] {
  let reach = 0;
  let conversions = 0;
  return days.map((day) => {
    const c = tally?.days[day] ?? zeroCounters();
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
    const t = counters.variations[id]?.total ?? zeroCounters();
    const goalRate = rate(t.goal_conversions, t.reach);
    return {
      id,
      name: experience.variations.find((v) => v.id === id)?.name ?? `${id} (removed)`,
      reach: t.reach,
      conversions: t.conversions,
      conversion_rate: rate(t.conversions, t.reach),
      goal_conversions: t.goal_conversions,
      goal_rate: goalRate,
      lift: lift(goalRate, experience.goal && control ? controlRate : null),
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
