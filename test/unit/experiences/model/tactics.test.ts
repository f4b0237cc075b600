import { describe, expect, it } from "vitest";
import { parseTactic, tacticSpec, tacticWidgetKeys, TACTICS } from "../../../../edge/experiences/model/tactics";

describe("tactics → widget types", () => {
  it("maps each tactic to the Pathfora widget Lytics outputs", () => {
    expect(TACTICS.map((t) => [t, tacticSpec(t).type, tacticSpec(t).factory])).toEqual([
      ["drive_traffic", "message", "Message"],
      ["collect_leads", "form", "Form"],
      ["present_message", "message", "Message"],
      ["recommend_content", "message", "Message"],
      ["gate_content", "sitegate", "SiteGate"],
    ]);
  });

  it("counts the conversion each tactic is about", () => {
    expect(tacticSpec("drive_traffic").conversion).toEqual(["confirm"]);
    expect(tacticSpec("collect_leads").conversion).toContain("submit");
    expect(tacticSpec("recommend_content").conversion).toEqual(["recommendation_click"]);
    expect(tacticSpec("gate_content").conversion).toEqual(["unlock"]);
  });

  it("accepts Lytics' 'Capture Leads' name and refuses unknown tactics", () => {
    expect(parseTactic("capture_leads")).toBe("collect_leads");
    expect(parseTactic("collect_leads")).toBe("collect_leads");
    expect(parseTactic("toString")).toBeUndefined();
    expect(parseTactic("spin_wheel")).toBeUndefined();
  });

  it("makes recommendations variant 3 and drive-traffic messages follow their link", () => {
    expect(tacticWidgetKeys("recommend_content", { variant: "2" }, undefined)).toEqual({ variant: "3" });
    expect(tacticWidgetKeys("drive_traffic", {}, { url: "https://example.com/sale" })).toEqual({
      confirmAction: { name: "click-through", url: "https://example.com/sale", new_tab: false },
    });
    expect(
      tacticWidgetKeys(
        "drive_traffic",
        { confirmAction: { name: "Sale CTA" } },
        { url: "https://x.io", new_tab: true },
      ),
    ).toEqual({ confirmAction: { name: "Sale CTA", url: "https://x.io", new_tab: true } });
    expect(tacticWidgetKeys("present_message", { variant: "2" }, undefined)).toEqual({});
  });
});
