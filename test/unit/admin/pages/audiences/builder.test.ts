import { describe, expect, it } from "vitest";
import { fromAst, toSegmentQL, type Group } from "../../../../../admin/pages/audiences/builder";
import { parse, print } from "../../../../../edge/segmentql";

/** What the API's validation gives the console: the parsed ast of the text. */
const astOf = (text: string) => parse(text).ast;

describe("audience rule builder", () => {
  it("writes SegmentQL that the engine parses, and reads its ast back into the same rows", () => {
    const rows: Group = {
      kind: "group",
      join: "and",
      items: [
        { kind: "condition", field: "visitct", op: ">=", value: "2", unit: "d" },
        { kind: "condition", field: "last_visit", op: "within", value: "30", unit: "d" },
        { kind: "condition", field: "country", op: "in", value: "US, CA", unit: "d" },
        {
          kind: "group",
          join: "or",
          items: [
            { kind: "condition", field: "email", op: "not like", value: "*@example.com", unit: "d" },
            { kind: "condition", field: "phone", op: "exists", value: "", unit: "d" },
            { kind: "include", slug: "churned", negate: true },
          ],
        },
        { kind: "condition", field: "plan", op: "=", value: "pro", unit: "d" },
        { kind: "condition", field: "vip", op: "=", value: "true", unit: "d" },
        { kind: "condition", field: "signup", op: "before", value: "2", unit: "w" },
      ],
    };
    const text = toSegmentQL(rows, "engaged");
    expect(text).toBe(
      [
        "FILTER AND (",
        "    visitct >= 2,",
        '    last_visit > "now-30d",',
        '    country IN ("US", "CA"),',
        "    OR (",
        '        email NOT LIKE "*@example.com",',
        "        EXISTS phone,",
        "        NOT INCLUDE churned",
        "    ),",
        '    plan = "pro",',
        "    vip = true,",
        '    signup < "now-2w"',
        ")",
        "FROM user",
        "ALIAS engaged",
      ].join("\n"),
    );
    const parsed = parse(text);
    expect(parsed.alias).toBe("engaged");
    // The same text the edge saves and shows (its canonical print).
    expect(print(parsed)).toBe(text);
    expect(fromAst(parsed.ast)).toEqual(rows);
  });

  it("quotes field names and strings that need it", () => {
    const rows: Group = {
      kind: "group",
      join: "and",
      items: [{ kind: "condition", field: "odd field", op: "=", value: 'say "hi"', unit: "d" }],
    };
    const text = toSegmentQL(rows, "");
    expect(fromAst(astOf(text))).toEqual(rows);
  });

  it("leaves out rows not filled in yet", () => {
    const rows: Group = {
      kind: "group",
      join: "and",
      items: [
        { kind: "condition", field: "visitct", op: ">", value: "1", unit: "d" },
        { kind: "condition", field: "", op: "=", value: "", unit: "d" },
        { kind: "condition", field: "age", op: "within", value: "soon", unit: "d" },
      ],
    };
    expect(toSegmentQL(rows, "x")).toBe("FILTER AND (\n    visitct > 1\n)\nFROM user\nALIAS x");
  });

  it("a single condition reads back as an AND group of one", () => {
    expect(fromAst(astOf('FILTER plan = "pro"'))).toEqual({
      kind: "group",
      join: "and",
      items: [{ kind: "condition", field: "plan", op: "=", value: "pro", unit: "d" }],
    });
  });

  it("shapes the builder does not show give null (text-only mode), never a changed audience", () => {
    for (const text of [
      "FILTER score BETWEEN 1 AND 5",
      'FILTER tags INTERSECTS ("a", "b")',
      "FILTER NOT AND (a = 1, b = 2)",
      'FILTER plan = "42"', // a numeric string would read back as a number
      'FILTER city IN ("Paris, TX", "Rome")', // a comma inside a value
      "FILTER NOT visitct > 3",
    ])
      expect(fromAst(astOf(text)), text).toBeNull();
  });
});
