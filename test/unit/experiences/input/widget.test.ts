import { describe, expect, it } from "vitest";
import { ExperiencePatchSchema } from "../../../../edge/experiences/input/experience";
import { DetailOverrideSchema, WidgetConfigSchema } from "../../../../edge/experiences/input/widget";
import { overridePatchBody } from "../fixtures";

describe("Pathfora configuration schema", () => {
  it("accepts Pathfora's documented examples as JSON (without the id Pathlight assigns)", () => {
    // new pathfora.Message({ id: "image-modal", layout: "modal", variant: "2", ... }) from Pathfora's docs.
    const message = {
      layout: "modal",
      variant: "2",
      headline: "Image Modal",
      msg: "Custom message text",
      image: "https://lytics.github.io/pathforadocs/assets/lytics-icon.png",
      displayConditions: { showDelay: 2, impressions: { session: 2, total: 5 }, urlContains: ["/products/"] },
    };
    expect(WidgetConfigSchema.parse(message)).toEqual(message);
    const form = {
      layout: "slideout",
      position: "bottom-left",
      formElements: [
        { type: "text", name: "username", label: "Username", required: true },
        { type: "select", name: "team", values: [{ label: "Red", value: "red" }] },
      ],
      confirmAction: { name: "signup", waitForAsyncResponse: true, callback: "function(e,p,done){done(true)}" },
    };
    expect(WidgetConfigSchema.safeParse(form).success).toBe(true);
  });

  it("accepts the reference's detail_override, and nulls anywhere in an override", () => {
    expect(DetailOverrideSchema.safeParse(overridePatchBody.vehicle.detail_override).success).toBe(true);
    expect(DetailOverrideSchema.safeParse({ displayConditions: { urlContains: null }, msg: null }).success).toBe(true);
    expect(ExperiencePatchSchema.safeParse(overridePatchBody).success).toBe(true);
  });

  it("refuses code where Pathfora takes data: a function-valued key must be a string callback", () => {
    expect(WidgetConfigSchema.safeParse({ onInit: { body: "x" } }).success).toBe(false);
    expect(WidgetConfigSchema.safeParse({ className: 'x"><script>' }).success).toBe(false);
  });
});
