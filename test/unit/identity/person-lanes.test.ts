import { describe, expect, it } from "vitest";
import { personLanes } from "../../../edge/identity/person-lanes";

const uid = (value: string) => ({ field: "_uid", value });
const email = (value: string) => ({ field: "email", value });

describe("personLanes", () => {
  it("gives people with no identifier in common their own lanes, in batch order", () => {
    const groups = [[uid("a")], [uid("b")], [uid("c")]];
    expect(personLanes(groups, (g) => g)).toEqual([[0], [1], [2]]);
  });

  it("keeps groups that share an identifier in one lane, in their order", () => {
    // a, b, a again, then someone who links b's cookie to an email a later group uses.
    const groups = [[uid("a")], [uid("b")], [uid("a")], [uid("b"), email("x@y")], [email("x@y")], [uid("c")]];
    expect(personLanes(groups, (g) => g)).toEqual([[0, 2], [1, 3, 4], [5]]);
  });

  it("joins lanes transitively, whichever group comes first", () => {
    const groups = [[uid("a")], [uid("b")], [uid("b"), uid("a")]];
    expect(personLanes(groups, (g) => g)).toEqual([[0, 1, 2]]);
  });

  it("keeps the same value under different fields apart", () => {
    expect(personLanes([[uid("1")], [email("1")]], (g) => g)).toEqual([[0], [1]]);
  });
});
