import { describe, expect, it } from "vitest";
import { writeOrder } from "../../../edge/collections/service";
import { people } from "./fixtures";

describe("writing rows of several collections", () => {
  it("writes referenced collections first", () => {
    const a = { ...people, id: "1", foreignKeys: [] };
    const b = {
      ...people,
      id: "2",
      foreignKeys: [{ field: "x", collection: "1", collectionName: "a", relation: null }],
    };
    const c = {
      ...people,
      id: "3",
      foreignKeys: [{ field: "y", collection: "2", collectionName: "b", relation: null }],
    };
    expect(writeOrder([c, b, a]).map((i) => [c, b, a][i]!.id)).toEqual(["1", "2", "3"]);
  });
});
