import { describe, expect, it } from "vitest";
import { missingReferences, prepareRow, targetOf } from "../../../../edge/collections/ingest/prepare";
import type { EventDef } from "../../../../edge/collections/model/events";
import { def, people } from "../fixtures";

describe("rows", () => {
  it("prepares rows: key, references, matches", () => {
    const orders = def(
      {
        name: "orders",
        primaryKey: "n",
        foreignKeys: [{ field: "who", collection: "people" }],
        schema: {
          type: "record",
          name: "o",
          fields: [
            { name: "n", type: "long" },
            { name: "who", type: ["null", "string"], default: null },
          ],
        },
      },
      [people],
      "300",
    );
    const events: EventDef[] = [
      {
        name: "big",
        collection: "300",
        description: null,
        filter: [[{ field: "n", operator: "greater", value: 10 }]],
        created: "",
        updated: "",
      },
    ];
    const r = prepareRow(targetOf(orders, events), { n: 42, who: "p1" }, "[0]");
    expect(r).toEqual({
      ok: true,
      row: {
        key: "42",
        data: { n: 42, who: "p1" },
        matches: ["big"],
        refs: [{ field: "who", collection: "100", collectionName: "people", key: "p1" }],
        path: "[0]",
      },
    });
    expect(prepareRow(targetOf(people, []), { id: "" }, "")).toMatchObject({
      ok: false,
      errors: [{ path: "id", message: "the primary key may not be empty" }],
    });
  });

  it("finds references to rows that do not exist, counting rows of the same request", async () => {
    const rows = [
      {
        key: "a",
        data: {},
        matches: [],
        path: "[0]",
        refs: [{ field: "p", collection: "9", collectionName: "nine", key: "x" }],
      },
      {
        key: "b",
        data: {},
        matches: [],
        path: "[1]",
        refs: [{ field: "p", collection: "9", collectionName: "nine", key: "y" }],
      },
      {
        key: "c",
        data: {},
        matches: [],
        path: "[2]",
        refs: [{ field: "p", collection: "9", collectionName: "nine", key: "z" }],
      },
    ];
    const asked: string[][] = [];
    const missing = await missingReferences(rows, new Map([["9", new Set(["z"])]]), async (_c, keys) => {
      asked.push(keys);
      return keys.filter((k) => k === "x");
    });
    expect(asked).toEqual([["x", "y"]]);
    expect([...missing]).toEqual([
      [1, [{ path: "[1].p", message: 'no row with primary key "y" in collection "nine"' }]],
    ]);
  });
});
