import { describe, expect, it } from "vitest";
import { eligibleExperiences, matchesTargeting } from "../../../../edge/experiences/delivery/eligibility";
import { assignVariation } from "../../../../edge/experiences/delivery/assignment";
import { experience } from "../fixtures";

const now = new Date("2026-06-20T00:00:00Z");
const opts = { allowStringCallbacks: false, now };
const hiking = experience(
  {
    name: "Hiking reads",
    tactic: "recommend_content",
    variations: [{ widget: { layout: "slideout", recommend: { collection: "hiking" } } }],
    targeting: { include: ["hiking_fans"], exclude: ["unsubscribed"] },
    status: "published",
  },
  { id: "1".repeat(32) },
);
const split = experience(
  {
    name: "Returning visitors",
    tactic: "collect_leads",
    variations: [
      { id: "a", widget: { layout: "modal" } },
      { id: "b", widget: { layout: "slideout" } },
    ],
    control_share: 20,
    status: "published",
  },
  { id: "2".repeat(32) },
);

describe("eligibility", () => {
  it("includes by any audience, excludes by any, targets everyone when include is empty", () => {
    const t = { include: ["a", "b"], exclude: ["x"] };
    expect(matchesTargeting(t, new Set(["b"]))).toBe(true);
    expect(matchesTargeting(t, new Set(["b", "x"]))).toBe(false);
    expect(matchesTargeting(t, new Set(["c"]))).toBe(false);
    expect(matchesTargeting({ include: [], exclude: ["x"] }, new Set())).toBe(true);
  });

  it("lists the experiences a visitor qualifies for, with variation and widget", () => {
    const list = eligibleExperiences([split, hiking], { key: "1234.5678", segments: ["hiking_fans"] }, opts);
    expect(list.map((e) => e.id)).toEqual([hiking.id, split.id].sort());
    const h = list.find((e) => e.id === hiking.id)!;
    expect(h).toEqual({
      id: hiking.id,
      name: "Hiking reads",
      tactic: "recommend_content",
      type: "message",
      variation: "a",
      widget: {
        layout: "slideout",
        recommend: { collection: "hiking" },
        variant: "3",
        id: `${hiking.id}-a`,
      },
    });
    expect(eligibleExperiences([hiking], { key: "u", segments: ["hiking_fans", "unsubscribed"] }, opts)).toEqual([]);
    expect(eligibleExperiences([hiking], { key: "u", segments: [] }, opts)).toEqual([]);
  });

  it("agrees with the browser's assignment, gives the control group no widget, and keeps a decided variation", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `uid-${i}`);
    for (const key of keys) {
      const [e] = eligibleExperiences([split], { key, segments: [] }, opts);
      expect(e!.variation).toBe(assignVariation(split, key));
      expect(e!.widget === null).toBe(e!.variation === "control");
      if (e!.widget) expect(e!.widget["id"]).toBe(`${split.id}-${e!.variation}`);
    }
    const key = keys.find((k) => assignVariation(split, k) === "b")!;
    expect(eligibleExperiences([split], { key, segments: [], previous: { [split.id]: "a" } }, opts)[0]!.variation).toBe(
      "a",
    );
  });

  it("skips drafts, paused, not yet started and ended experiences", () => {
    const at = (patch: object) => ({ ...hiking, ...patch });
    const visitor = { key: "u", segments: ["hiking_fans"] };
    for (const e of [
      at({ status: "draft" }),
      at({ status: "paused" }),
      at({ dates: { start_date: "2026-07-01T00:00:00.000Z", end_date: null } }),
      at({ dates: { start_date: null, end_date: "2026-06-19T00:00:00.000Z" } }),
    ])
      expect(eligibleExperiences([e], visitor, opts)).toEqual([]);
  });
});
