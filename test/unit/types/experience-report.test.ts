import { describe, expect, it } from "vitest";
import { buildReport } from "../../../edge/experiences/report/build";
import type { ExperienceCounters } from "../../../edge/experiences/report/counters";
import { daysBetween, lift, liftText, percent, rate } from "../../../types/experience-report";

/** One variation's counters over one day (all time = that day). */
const tally = (reach: number, conversions: number, goal: number, day: string) => {
  const c = { reach, conversions, goal_conversions: goal, events: {} };
  return { total: c, days: { [day]: c } };
};

/**
 * A newsletter modal against a 10% control group, measured on `purchase`:
 * A reached 20 and 6 bought (30%), B reached 20 and 3 bought (15%), the
 * control group held out 10 and 2 bought anyway (20%).
 */
const experience = {
  id: "2d3e345b2ac24acd9d6d3d33f93516fd",
  name: "Newsletter",
  tactic: "collect_leads" as const,
  goal: { event: "purchase" },
  variations: [
    { id: "a", name: "Modal", share: 45, widget: {} },
    { id: "b", name: "Slideout", share: 45, widget: {} },
  ],
};
const counters: ExperienceCounters = {
  variations: {
    a: tally(20, 5, 6, "2026-06-01"),
    b: tally(20, 4, 3, "2026-06-03"),
    control: tally(10, 0, 2, "2026-06-02"),
  },
};

describe("experience report arithmetic (types/experience-report.ts, shared by the report API and the console)", () => {
  it("a rate is n / d, and 0 (never NaN) before anything was counted", () => {
    expect(rate(9, 40)).toBe(0.225);
    expect(rate(6, 20)).toBe(0.3);
    expect(rate(0, 0)).toBe(0);
    expect(rate(3, 0)).toBe(0);
  });

  it("lift is goal rate / control goal rate − 1, null without a control rate to compare with", () => {
    expect(lift(0.3, 0.2)).toBeCloseTo(0.5, 12);
    expect(lift(0.15, 0.2)).toBeCloseTo(-0.25, 12);
    expect(lift(0.2, 0.2)).toBe(0);
    expect(lift(0.3, 0)).toBeNull();
    expect(lift(0.3, null)).toBeNull();
  });

  it("the console writes rates and lifts as signed percentages with one decimal", () => {
    expect(percent(0.225)).toBe("22.5%");
    expect(percent(0)).toBe("0.0%");
    expect(percent(1)).toBe("100.0%");
    expect(liftText(0.5)).toBe("+50.0%");
    expect(liftText(0)).toBe("+0.0%");
    expect(liftText(-0.25)).toBe("-25.0%");
    expect(liftText(null)).toBe("—");
  });

  it("days run from the first to the last inclusive, across month ends, capped when asked", () => {
    expect(daysBetween("2026-06-29", "2026-07-02")).toEqual(["2026-06-29", "2026-06-30", "2026-07-01", "2026-07-02"]);
    expect(daysBetween("2026-06-01", "2026-06-01")).toEqual(["2026-06-01"]);
    expect(daysBetween("2026-06-02", "2026-06-01")).toEqual([]);
    expect(daysBetween("2026-01-01", "2026-12-31")).toHaveLength(365);
    expect(daysBetween("2026-01-01", "2027-12-31", 400)).toHaveLength(400);
  });

  it("the report API's figures are these functions' figures, and the console shows them as +50.0% and -25.0%", () => {
    const report = buildReport(experience, counters);
    const [a, b] = report.variations;
    expect(a).toMatchObject({ id: "a", reach: 20, conversion_rate: rate(5, 20), goal_rate: rate(6, 20) });
    expect(a?.lift).toBe(lift(rate(6, 20), rate(2, 10)));
    expect(b?.lift).toBe(lift(rate(3, 20), rate(2, 10)));
    expect(report.control).toMatchObject({ reach: 10, goal_conversions: 2, goal_rate: 0.2 });
    expect(report.totals).toEqual({ reach: 40, conversions: 9, conversion_rate: 0.225 });
    expect(report.variations.map((v) => [liftText(v.lift), percent(v.conversion_rate)])).toEqual([
      ["+50.0%", "25.0%"],
      ["-25.0%", "20.0%"],
    ]);
    // The series covers every day from the first counted to the last, with the conversion rate cumulative.
    expect(a?.series.map((d) => [d.day, d.reach, d.conversion_rate])).toEqual([
      ["2026-06-01", 20, 0.25],
      ["2026-06-02", 0, 0.25],
      ["2026-06-03", 0, 0.25],
    ]);
  });

  it("no lift without a goal event or without a control group, whatever the counts", () => {
    expect(buildReport({ ...experience, goal: null }, counters).variations.map((v) => v.lift)).toEqual([null, null]);
    const { control: _, ...withoutControl } = counters.variations;
    expect(buildReport(experience, { variations: withoutControl }).variations.map((v) => v.lift)).toEqual([null, null]);
    const noControlGoals = { ...counters.variations, control: tally(10, 0, 0, "2026-06-02") };
    expect(buildReport(experience, { variations: noControlGoals }).variations.map((v) => liftText(v.lift))).toEqual([
      "—",
      "—",
    ]);
  });
});
