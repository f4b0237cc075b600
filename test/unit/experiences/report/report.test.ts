import { describe, expect, it } from "vitest";
import type { ProfileExperienceState, ReportDelta } from "../../../../edge/experiences/contract";
import {
  applyDelta,
  emptyCounters,
  emptyProfileState,
  type ExperienceCounters,
  foldEvent,
  mergeCounters,
  profileFields,
  REPORT_SHARDS,
  reportShardOf,
  type TrackingEvent,
  widgetEventOf,
} from "../../../../edge/experiences/report/counters";
import { buildReport } from "../../../../edge/experiences/report/build";
import { experience } from "../fixtures";

const E = "2d3e345b2ac24acd9d6d3d33f93516fd";
const leads = experience(
  {
    name: "Newsletter",
    tactic: "collect_leads",
    variations: [
      { id: "a", share: 45, widget: { layout: "modal" } },
      { id: "b", share: 45, widget: { layout: "slideout" } },
    ],
    control_share: 10,
    goal: { event: "purchase" },
    status: "published",
  },
  { id: E },
);
const lookup = (id: string) => (id === E ? leads : undefined);

/** What the widgets send through jstag.send (widgets/track.ts), plus the collector's event id and time. */
function widgetEvent(id: string, day: string, variation: string, event: string, extra: object = {}): TrackingEvent {
  return {
    id,
    ts: Date.parse(`${day}T10:00:00Z`),
    fields: {
      "pf-widget-id": `${E}-${variation}`,
      "pf-widget-type": "form",
      "pf-widget-layout": "modal",
      "pf-widget-variant": "1",
      "pf-widget-event": event,
      ...extra,
    },
  };
}
const goalEvent = (id: string, day: string): TrackingEvent => ({
  id,
  ts: Date.parse(`${day}T12:00:00Z`),
  type: "purchase",
  fields: { _e: "purchase", total: 30 },
});

/** Runs a stream through profile objects and report shards, as the wiring will; every delta delivered twice. */
function count(stream: [profile: string, event: TrackingEvent][]) {
  const profiles = new Map<string, ProfileExperienceState>();
  const shards = new Map<string, { counters: ExperienceCounters; seen: Set<string> }>();
  for (const [profile, event] of stream) {
    const { state, deltas } = foldEvent(profiles.get(profile) ?? emptyProfileState(), event, lookup, profile);
    profiles.set(profile, state);
    for (const delta of [...deltas, ...deltas]) {
      const name = reportShardOf(delta.experience_id, profile);
      let shard = shards.get(name);
      if (!shard) shards.set(name, (shard = { counters: emptyCounters(), seen: new Set() }));
      applyDelta(shard.counters, delta, shard.seen);
    }
  }
  const counters = mergeCounters([...shards.values()].map((s) => s.counters));
  return { profiles, shards, report: buildReport(leads, counters) };
}

describe("experience report", () => {
  const stream: [string, TrackingEvent][] = [
    ["p1", widgetEvent("e1", "2026-06-01", "a", "show")],
    ["p1", widgetEvent("e2", "2026-06-01", "a", "submit", { "pf-form-email": "x@y.z" })],
    ["p1", widgetEvent("e2", "2026-06-01", "a", "submit", { "pf-form-email": "x@y.z" })], // retried send
    ["p1", widgetEvent("e3", "2026-06-01", "a", "confirm")],
    ["p1", widgetEvent("e4", "2026-06-03", "a", "show")], // shown again on a later day
    ["p1", widgetEvent("e4b", "2026-06-03", "a", "submit")], // and submitted again: still one conversion
    ["p2", widgetEvent("e5", "2026-06-01", "a", "show")],
    ["p2", widgetEvent("e6", "2026-06-01", "a", "close")],
    ["p2", widgetEvent("e6", "2026-06-01", "a", "close")], // retried send
    ["p2", widgetEvent("e7", "2026-06-01", "a", "hover")], // not counted
    ["p3", widgetEvent("e8", "2026-06-03", "b", "show")],
    ["p3", widgetEvent("e9", "2026-06-03", "b", "submit")],
    ["p3", goalEvent("e10", "2026-06-03")],
    ["p3", goalEvent("e11", "2026-06-03")], // a second purchase: one goal conversion
    ["p4", widgetEvent("e12", "2026-06-01", "control", "holdout")],
    ["p4", goalEvent("e13", "2026-06-01")],
    ["p5", widgetEvent("e14", "2026-06-01", "control", "holdout")],
    ["p5", widgetEvent("e15", "2026-06-03", "control", "holdout")],
    ["p6", goalEvent("e16", "2026-06-01")], // never reached: no goal conversion
  ];

  it("counts reach and conversions per variation, once per profile, retries excluded", () => {
    const { report } = count(stream);
    expect(report.conversion).toBe("form submit");
    const [a, b] = report.variations;
    expect(a).toMatchObject({ id: "a", name: "Variation A", reach: 2, conversions: 1, conversion_rate: 0.5 });
    expect(a!.events).toEqual({ show: 3, submit: 2, confirm: 1, close: 1 });
    expect(b).toMatchObject({ id: "b", reach: 1, conversions: 1, conversion_rate: 1, goal_conversions: 1 });
    expect(report.totals).toEqual({ reach: 3, conversions: 2, conversion_rate: 2 / 3 });
  });

  it("counts the control group's goal conversions so lift is visible", () => {
    const { report } = count(stream);
    expect(report.goal).toBe("purchase");
    expect(report.control).toMatchObject({ reach: 2, goal_conversions: 1, goal_rate: 0.5 });
    const [a, b] = report.variations;
    expect(a!.lift).toBe(-1); // no purchase after variation A
    expect(b!.lift).toBe(1); // 100% vs the control's 50%
  });

  it("keeps a daily series with empty days and a cumulative conversion rate", () => {
    const { report } = count(stream);
    const a = report.variations[0]!;
    expect(a.series.map((d) => [d.day, d.reach, d.conversions, d.conversion_rate])).toEqual([
      ["2026-06-01", 2, 1, 0.5],
      ["2026-06-02", 0, 0, 0.5],
      ["2026-06-03", 0, 0, 0.5],
    ]);
    expect(a.series[2]!.events).toEqual({ show: 1, submit: 1 });
    expect(report.control!.series.map((d) => d.reach)).toEqual([2, 0, 0]);
    const ranged = buildReport(leads, mergeCounters([]), { from: "2026-06-01", to: "2026-06-02" });
    expect(ranged.variations[0]!.series.map((d) => d.day)).toEqual(["2026-06-01", "2026-06-02"]);
  });

  it("gives the same report whatever the number of retries and order of delivery", () => {
    const once = count(stream.filter((s, i) => stream.findIndex((t) => t[1].id === s[1].id) === i)).report;
    expect(count(stream).report).toEqual(once);
  });

  it("records on the profile what it reached and converted on, for campaign-data audiences", () => {
    const { profiles } = count(stream);
    expect(profileFields(profiles.get("p1")!)).toEqual({
      experiences_reached: [E, `${E}:a`],
      experiences_converted: [E, `${E}:a`],
    });
    expect(profileFields(profiles.get("p2")!)).toEqual({
      experiences_reached: [E, `${E}:a`],
      experiences_converted: [],
    });
    expect(profiles.get("p4")!.goals).toEqual({ [E]: "control" });
  });

  it("reads the variation from pf-widget-id, recommendation clicks from the confirm's action, and ignores other widgets", () => {
    expect(widgetEventOf(widgetEvent("x", "2026-06-01", "b", "show").fields)).toEqual({
      experience_id: E,
      variation: "b",
      kind: "show",
    });
    expect(
      widgetEventOf({
        "pf-widget-id": `${E}-a`,
        "pf-widget-event": "confirm",
        "pf-widget-action": "content recommendation",
      })?.kind,
    ).toBe("recommendation_click");
    expect(widgetEventOf({ "pf-widget-id": "promo", "pf-widget-event": "show" })).toBeUndefined();
    expect(widgetEventOf({ "pf-widget-id": `${E}-a`, "pf-widget-event": "focus" })).toBeUndefined();
    expect(widgetEventOf({ "pf-widget-id": `${E}-a`, "pf-widget-event": "holdout" })).toBeUndefined();
    expect(widgetEventOf({ "pf-widget-id": `${E}-control`, "pf-widget-event": "show" })).toBeUndefined();
  });

  it("counts a conversion that arrives before its show as reach too", () => {
    const { report } = count([
      ["p1", widgetEvent("e1", "2026-06-01", "a", "submit")],
      ["p1", widgetEvent("e2", "2026-06-01", "a", "show")],
    ]);
    expect(report.variations[0]).toMatchObject({ reach: 1, conversions: 1 });
  });

  it("spreads one experience's counting over report shards by profile", () => {
    const perShard = new Map<string, number>();
    for (let i = 0; i < 16_000; i++) {
      const s = reportShardOf(E, `uid-${i}`);
      perShard.set(s, (perShard.get(s) ?? 0) + 1);
    }
    expect(perShard.size).toBe(REPORT_SHARDS);
    for (const n of perShard.values()) expect(n).toBeLessThan(1200); // 1,000 expected each
    expect(reportShardOf(E, "uid-1")).toMatch(new RegExp(`^${E}/\\d+$`));
  });

  it("applies a delta once per id", () => {
    const counters = emptyCounters();
    const seen = new Set<string>();
    const delta: ReportDelta = {
      id: "p/e",
      experience_id: E,
      variation: "a",
      day: "2026-06-01",
      reach: 1,
      conversions: 0,
      goal_conversions: 0,
      event: "show",
    };
    expect(applyDelta(counters, delta, seen)).toBe(true);
    expect(applyDelta(counters, delta, seen)).toBe(false);
    expect(counters.variations["a"]!.total).toEqual({
      reach: 1,
      conversions: 0,
      goal_conversions: 0,
      events: { show: 1 },
    });
  });
});
