import { describe, expect, it } from "vitest";
import { buildEvent, holds, matchEvents, type EventDef } from "../../../../edge/collections/model/events";
import { people } from "../fixtures";

describe("events", () => {
  const row = { n: 5, s: "hello", tags: ["a", "b"], nested: { x: 1 }, none: null };
  it("evaluates each operator", () => {
    const t = (field: string, operator: any, value?: any) => holds({ field, operator, value }, row);
    expect([
      t("n", "equals", 5),
      t("n", "notEquals", 5),
      t("n", "greater", 4),
      t("n", "greaterOrEqual", 5),
      t("n", "less", 5),
      t("n", "lessOrEqual", 5),
    ]).toEqual([true, false, true, true, false, true]);
    expect([
      t("s", "contains", "ell"),
      t("tags", "contains", "b"),
      t("s", "in", ["x", "hello"]),
      t("nested.x", "equals", 1),
    ]).toEqual([true, true, true, true]);
    expect([t("none", "exists"), t("none", "notExists"), t("missing", "exists"), t("s", "greater", 3)]).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it("matches a sum of products", () => {
    const e = (name: string, filter: any): EventDef => ({
      name,
      collection: "1",
      description: null,
      filter,
      created: "",
      updated: "",
    });
    const events = [
      e("both", [
        [
          { field: "n", operator: "equals", value: 5 },
          { field: "s", operator: "equals", value: "nope" },
        ],
      ]),
      e("either", [[{ field: "n", operator: "equals", value: 0 }], [{ field: "s", operator: "exists" }]]),
    ];
    expect(matchEvents(events, row)).toEqual(["either"]);
  });

  it("needs a collection with a profile identifier and fields of its schema", () => {
    const noProfile = { ...people, profileIdentifier: null };
    expect(
      buildEvent(
        { name: "e", collection: "people", filter: [[{ field: "note", operator: "exists" }]] },
        noProfile,
        null,
      ),
    ).toMatchObject({ ok: false, errors: [{ path: "collection" }] });
    expect(
      buildEvent(
        { name: "e", collection: "people", filter: [[{ field: "note", operator: "in", value: "x" }]] },
        people,
        null,
      ),
    ).toMatchObject({ ok: false, errors: [{ path: "filter[0][0].value" }] });
    expect(
      buildEvent(
        { name: "e", collection: "people", filter: [[{ field: "note", operator: "equals", value: "x" }]] },
        people,
        null,
      ).ok,
    ).toBe(true);
  });
});
