import { describe, expect, it } from "vitest";
import {
  applyOverride,
  findStringCallbacks,
  mergePatch,
  stripStringCallbacks,
} from "../../../../edge/experiences/model/override";
import { editorWidget, overridePatchBody } from "../fixtures";

const override = overridePatchBody.vehicle.detail_override;

describe("detail_override merge", () => {
  it("adds the reference's custom form, states and callback over the editor's slideout", () => {
    const merged = applyOverride(editorWidget, override);
    expect(merged).toEqual({ ...editorWidget, ...override });
    expect(merged["className"]).toBe("custom-tracking-widget");
    expect(editorWidget).not.toHaveProperty("formElements");
  });

  it("merges objects key by key, replaces arrays and scalars, and deletes keys set to null (RFC 7396)", () => {
    const base = {
      headline: "Hi",
      displayConditions: { showDelay: 3, urlContains: ["/a", "/b"] },
      formElements: [{ type: "text", name: "email" }],
      colors: { background: "#fff" },
    };
    expect(
      mergePatch(base, {
        displayConditions: { showDelay: 0, urlContains: ["/c"] },
        formElements: [],
        colors: null,
        msg: "new",
      }),
    ).toEqual({
      headline: "Hi",
      msg: "new",
      displayConditions: { showDelay: 0, urlContains: ["/c"] },
      formElements: [],
    });
    expect(base.colors).toEqual({ background: "#fff" });
    expect(mergePatch({ a: 1 }, [1, 2])).toEqual([1, 2]);
    expect(mergePatch("x", { a: { b: null, c: 1 } })).toEqual({ a: { c: 1 } });
    expect(applyOverride(base, null)).toBe(base);
  });
});

describe("string callbacks", () => {
  it("finds the reference's confirmAction callback and every callback key", () => {
    expect(findStringCallbacks(override, "vehicle.detail_override")).toEqual([
      "vehicle.detail_override.confirmAction.callback",
    ]);
    expect(
      findStringCallbacks({
        onInit: "function(){}",
        onSubmit: "function(){}",
        formStates: { success: { confirmAction: { callback: "function(){}" } } },
        cancelAction: { name: "no", callback: "function(){}" },
        closeAction: { callback: null },
        msg: "function(){} is just text here",
      }),
    ).toEqual(["onInit", "onSubmit", "formStates.success.confirmAction.callback", "cancelAction.callback"]);
  });

  it("strips them from the delivered configuration, with the wait for their answer", () => {
    const merged = applyOverride(editorWidget, override);
    const stripped = stripStringCallbacks(merged);
    expect(stripped["confirmAction"]).toEqual({});
    expect(findStringCallbacks(stripped)).toEqual([]);
    expect(stripped["formElements"]).toEqual(override["formElements"]);
    expect(findStringCallbacks(merged)).toEqual(["confirmAction.callback"]);
  });
});
