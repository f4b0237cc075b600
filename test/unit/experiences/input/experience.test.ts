import { describe, expect, it } from "vitest";
import { ExperiencePatchSchema } from "../../../../edge/experiences/input/experience";
import { fieldErrors } from "../../../../edge/experiences/input/field-errors";

describe("experience request schemas", () => {
  it("names the field at fault, unknown fields included", () => {
    const r = ExperiencePatchSchema.safeParse({
      vehicle: { detail_override: { formElements: [{ type: "file", name: "cv" }] }, provider: "x" },
    });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(fieldErrors(r.error).map((e) => e.path)).toEqual([
        "vehicle.detail_override.formElements.0.type",
        "vehicle.provider",
      ]);
  });
});
