import { describe, expect, it } from "vitest";
import { combine, type Observation } from "../../../../edge/profiles/merge/merge-strategies";

describe("merge strategies", () => {
  const obs: Observation[] = [
    { value: "red", first: 1, last: 5, count: 3 },
    { value: "blue", first: 2, last: 9, count: 1 },
    { value: ["green", "red"], first: 3, last: 4, count: 1 },
  ];
  it("first, latest, frequent, unique", () => {
    expect(combine(obs, "first")).toBe("red");
    expect(combine(obs, "latest")).toBe("blue");
    expect(combine(obs, "frequent")).toBe("red");
    expect(combine(obs, "unique")).toEqual(["red", "blue", "green"]);
    expect(combine([], "latest")).toBeNull();
  });
});
