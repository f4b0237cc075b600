import { describe, expect, it } from "vitest";
import type { ResolvedWidget } from "../../../types/widgets";
import { utils } from "../../../widgets/utils";
import { fieldsOf } from "../../../widgets/view/fields";

/**
 * The characters Pathfora's escapeURI escapes, from the table it documents
 * (Chromium's: one bit per character 0-255), URI separators excepted.
 */
const TABLE = [0xffffffff, 0xf80008fd, 0x78000001, 0xb8000001, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff];
const escapedByPathfora = (c: number) =>
  !"#:;/?$&+,@=".includes(String.fromCharCode(c)) && ((TABLE[c >> 5] ?? 0) & (1 << (c & 31))) !== 0;

describe("pathfora.utils", () => {
  it("escapeURI escapes exactly the characters of Pathfora's table, as uppercase %XX", () => {
    for (let c = 0; c < 400; c++) {
      const ch = String.fromCharCode(c);
      const want = escapedByPathfora(c) ? "%" + c.toString(16).toUpperCase().padStart(2, "0") : ch;
      expect(utils.escapeURI(ch), `char ${c}`).toBe(want);
    }
    expect(utils.escapeURI("50%25 off", { keepEscaped: true, usePlus: true })).toBe("50%25+off");
    expect(utils.escapeURI("50%25 off")).toBe("50%2525%20off");
  });

  it("constructQueries builds Pathfora's query strings, arrays as key[]", () => {
    expect(utils.constructQueries({ contentsegment: "blog", limit: 3, topics: ["a", "b"] })).toBe(
      "?contentsegment=blog&limit=3&topics[]=a&topics[]=b",
    );
    expect(utils.constructQueries({})).toBe("");
  });

  it("generateUniqueId gives Pathfora's 8-4-4-4-12 hex ids", () => {
    const ids = new Set(Array.from({ length: 100 }, () => utils.generateUniqueId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe("built-in form fields", () => {
  const widget = (type: string, extra: object = {}) => ({ id: "w", type, ...extra }) as unknown as ResolvedWidget;
  const shape = (w: ResolvedWidget) => fieldsOf(w).map((f) => [f.name, f.required, f.cls?.trim() || ""]);

  it("follow Pathfora's defaults per type, with half-width fields paired two by two", () => {
    expect(shape(widget("form"))).toEqual([
      ["username", true, ""],
      ["email", true, ""],
      ["title", false, ""],
      ["message", false, ""],
    ]);
    expect(shape(widget("sitegate"))).toEqual([
      ["username", true, ""],
      ["email", true, ""],
      ["title", false, "pf-field-half-width"],
      ["company", false, "pf-field-half-width right"],
    ]);
    expect(
      shape(widget("form", { fields: { company: true, phone: true, referralEmail: true }, required: { title: true } })),
    ).toEqual([
      ["username", true, ""],
      ["email", true, ""],
      ["title", true, "pf-field-half-width"],
      ["company", false, "pf-field-half-width right"],
      ["phone", false, "pf-field-half-width"],
      ["referralEmail", false, "pf-field-half-width right"],
      ["message", false, ""],
    ]);
    expect(fieldsOf(widget("form", { placeholders: { name: "Full name" } }))[0]!.placeholder).toBe("Full name");
    expect(fieldsOf(widget("form"))[0]!.placeholder).toBe("Name");
    expect(fieldsOf(widget("sitegate", { showForm: false }))).toEqual([]);
  });
});
