import { describe, expect, it } from "vitest";
import {
  bodyOf,
  composeWidget,
  emptyDraft,
  evenSplit,
  newVariation,
  parseOverride,
  previewConfig,
  splitAddsUp,
} from "../../../admin/pages/experiences/model";
import { stepOfPath } from "../../../admin/pages/experiences/editor";

describe("experience editor model", () => {
  it("reads the advanced override, naming the line and column of a JSON mistake", () => {
    expect(parseOverride("")).toEqual({ ok: true, value: null });
    expect(parseOverride('{"okMessage": "Go"}')).toEqual({ ok: true, value: { okMessage: "Go" } });
    const bad = parseOverride('{\n  "layout": "modal",\n  oops\n}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/line 3, column \d+/);
    expect(parseOverride('{"a": ').ok).toBe(false);
    expect(parseOverride("[1]")).toEqual({ ok: false, message: "must be a JSON object of Pathfora settings" });
    expect(parseOverride('{"id": "x"}').ok).toBe(false);
  });

  it("composes the widget as the edge delivers it: display conditions, tactic keys, then the override", () => {
    const draft = { ...emptyDraft("drive_traffic"), display: { showDelay: 3 } };
    draft.variations[0]!.linkUrl = "https://example.com/new";
    draft.overrideText = '{"headline": "Overridden", "cancelMessage": null}';
    const widget = composeWidget(draft, draft.variations[0]!);
    expect(widget).toMatchObject({
      displayConditions: { showDelay: 3 },
      headline: "Overridden",
      confirmAction: { url: "https://example.com/new", name: "click-through" },
    });
    expect(widget).not.toHaveProperty("cancelMessage");
    // The preview shows it at once and goes nowhere.
    const shown = previewConfig(draft, draft.variations[0]!);
    expect(shown).not.toHaveProperty("displayConditions");
    expect(shown.confirmAction).toEqual({ name: "click-through", new_tab: false });
    const recommend = emptyDraft("recommend_content");
    expect(composeWidget(recommend, recommend.variations[0]!).variant).toBe("3");
  });

  it("splits traffic evenly over variations after the control group, and sends the API's body", () => {
    const draft = emptyDraft("collect_leads");
    draft.variations.push(newVariation("collect_leads", ["a"]), newVariation("collect_leads", ["a", "b"]));
    draft.controlShare = 10;
    expect(splitAddsUp(draft)).toBe(false);
    draft.variations = evenSplit(draft);
    expect(draft.variations.map((v) => [v.id, v.share])).toEqual([
      ["a", 30],
      ["b", 30],
      ["c", 30],
    ]);
    expect(splitAddsUp(draft)).toBe(true);
    const three = { ...draft, controlShare: 0 };
    expect(evenSplit(three).map((v) => v.share)).toEqual([33.34, 33.33, 33.33]);
    draft.name = "Leads";
    draft.include = ["hikers"];
    draft.endDate = "2030-01-31";
    expect(bodyOf(draft)).toMatchObject({
      name: "Leads",
      tactic: "collect_leads",
      control_share: 10,
      targeting: { include: ["hikers"], exclude: [] },
      dates: { start_date: null, end_date: "2030-01-31T23:59:59.000Z" },
      goal: null,
      vehicle: { detail_override: null },
    });
  });

  it("takes the editor to the step showing the field an API error names", () => {
    expect(stepOfPath("name")).toBe(0);
    expect(stepOfPath("variations.1.widget.layout")).toBe(1);
    expect(stepOfPath("targeting.include.0")).toBe(2);
    expect(stepOfPath("display_conditions.showDelay")).toBe(3);
    expect(stepOfPath("vehicle.detail_override.layout")).toBe(4);
  });
});
