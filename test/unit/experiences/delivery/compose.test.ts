import { describe, expect, it } from "vitest";
import { composeWidget, deliverExperience } from "../../../../edge/experiences/delivery/compose";
import { editorWidget, experience, overridePatchBody } from "../fixtures";

const captureLeads = {
  name: "Feed subscriptions slideout",
  tactic: "capture_leads",
  variations: [{ widget: editorWidget }],
  display_conditions: { showDelay: 10, urlContains: ["/blog/"] },
};

describe("delivered widget configuration", () => {
  it("merges the experience's display conditions, the variation, the override and the widget id", () => {
    const e = experience(captureLeads, { patch: overridePatchBody });
    const w = composeWidget(e, e.variations[0]!, { allowStringCallbacks: true });
    expect(w).toEqual({
      ...editorWidget,
      ...overridePatchBody.vehicle.detail_override,
      // The variation's own showDelay (3) wins over the experience's (10); urlContains comes from the experience.
      displayConditions: { showDelay: 3, scrollPercentageToDisplay: 30, urlContains: ["/blog/"] },
      id: `${e.id}-a`,
    });
  });

  it("strips string callbacks unless the account allows them", () => {
    const e = experience(captureLeads, { patch: overridePatchBody });
    const w = composeWidget(e, e.variations[0]!, { allowStringCallbacks: false });
    expect(w["confirmAction"]).toEqual({});
    expect(JSON.stringify(w)).not.toContain("function");
  });

  it("lets the override change what the tactic imposed, and never the id", () => {
    const e = experience({
      name: "Read next",
      tactic: "recommend_content",
      variations: [{ widget: { layout: "slideout", recommend: { collection: "hiking" } } }],
      vehicle: { detail_override: { className: "reads", displayConditions: null } },
    });
    const w = composeWidget(e, e.variations[0]!, { allowStringCallbacks: false });
    expect(w).toEqual({
      layout: "slideout",
      recommend: { collection: "hiking" },
      variant: "3",
      className: "reads",
      id: `${e.id}-a`,
    });
  });

  it("delivers targeting, dates, weights and the factory", () => {
    const e = experience({
      name: "Sale",
      tactic: "drive_traffic",
      variations: [
        { id: "a", share: 45, widget: { headline: "Sale!" }, link: { url: "https://shop.example/sale" } },
        {
          id: "b",
          share: 45,
          widget: { headline: "50% off" },
          link: { url: "https://shop.example/sale", new_tab: true },
        },
      ],
      control_share: 10,
      targeting: { include: ["deal_seekers"], exclude: ["customers"] },
      dates: { start_date: "2026-06-01T00:00:00Z", end_date: "2026-07-01T00:00:00Z" },
    });
    const d = deliverExperience(e, { allowStringCallbacks: false });
    expect(d).toMatchObject({
      id: e.id,
      type: "message",
      factory: "Message",
      include: ["deal_seekers"],
      exclude: ["customers"],
      start: Date.parse("2026-06-01T00:00:00Z"),
      end: Date.parse("2026-07-01T00:00:00Z"),
      control_weight: 1000,
    });
    expect(d.variations.map((v) => [v.id, v.weight, v.widget["confirmAction"]])).toEqual([
      ["a", 4500, { name: "click-through", url: "https://shop.example/sale", new_tab: false }],
      ["b", 4500, { name: "click-through", url: "https://shop.example/sale", new_tab: true }],
    ]);
  });
});
