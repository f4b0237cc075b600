import { describe, expect, it } from "vitest";
import { parse, print, printExpr, validateAst, type SegmentAst } from "../../../../edge/segmentql/index";
import { Rand, prng, randomAst } from "../gen";

describe("print", () => {
  it("pretty-prints the canonical form", () => {
    const seg = parse(
      "filter and(visitct>=3 last_visit>'now-7d' or(tags intersects('a',\"b\") email not like '*@x.com') not exists phone) alias engaged",
    );
    expect(print(seg)).toBe(
      [
        "FILTER AND (",
        "    visitct >= 3,",
        '    last_visit > "now-7d",',
        "    OR (",
        '        tags INTERSECTS ("a", "b"),',
        '        email NOT LIKE "*@x.com"',
        "    ),",
        "    NOT EXISTS phone",
        ")",
        "FROM user",
        "ALIAS engaged",
      ].join("\n"),
    );
  });

  it("quotes names that need it and escapes strings", () => {
    const seg = parse(
      'FILTER AND ( `first name` = "say \\"hi\\"\\n", `in` IN (null, true, -2.5), `a``b` = 1 ) FROM `my table` ALIAS `odd-slug`'.replace(
        "`a``b`",
        "`a\\`b`",
      ),
    );
    const text = print(seg);
    expect(text).toContain('`first name` = "say \\"hi\\"\\n"');
    expect(text).toContain("`in` IN (null, true, -2.5)");
    expect(text).toContain("`a\\`b` = 1");
    expect(text).toContain("FROM `my table`");
    expect(text).toContain("ALIAS `odd-slug`");
    expect(parse(text)).toEqual(seg);
  });

  it("prints NOT of negatable leaves infix and other NOTs as a prefix", () => {
    expect(printExpr({ op: "not", args: [{ op: "in", args: [{ ident: "a" }, { args: [{ val: 1 }] }] }] })).toBe(
      "a NOT IN (1)",
    );
    expect(printExpr({ op: "not", args: [{ op: "=", args: [{ ident: "a" }, { val: 1 }] }] })).toBe("NOT a = 1");
    expect(
      printExpr({
        op: "not",
        args: [{ op: "not", args: [{ op: "between", args: [{ ident: "a" }, { val: 1 }, { val: 2 }] }] }],
      }),
    ).toBe("NOT a NOT BETWEEN 1 AND 2");
  });

  it("text -> ast -> text is stable (print of a parse of a print is identical)", () => {
    const texts = [
      "FILTER a = 1",
      'FILTER AND ( x > "now-30d", OR ( y = \'q\', NOT z CONTAINS "w" ), INCLUDE other ) FROM user ALIAS s',
      'FILTER NOT AND ( m.k.j BETWEEN "2024-01-01" AND "now", EXISTS `odd field` ) ALIAS q',
      "FILTER (a = 1, b = 2)",
    ];
    for (const t of texts) {
      const once = print(parse(t));
      expect(print(parse(once))).toBe(once);
      expect(parse(once)).toEqual(parse(t));
    }
  });
});

describe("round trips on random ASTs (seeded)", () => {
  it("ast JSON -> text -> ast gives an equal ast for 2,000 random trees", () => {
    const r = new Rand(prng(20240601));
    for (let k = 0; k < 2000; k++) {
      const ast = randomAst(r, 4, ["seg_a", "Seg B", "from"]);
      const json: unknown = JSON.parse(JSON.stringify(ast));
      const valid = validateAst(json);
      expect(valid).toEqual(ast);
      const text = print({ table: "user", alias: `s${k}`, ast: valid });
      const back = parse(text);
      expect(back.ast).toEqual(valid);
      expect(back.alias).toBe(`s${k}`);
    }
  });

  it("round-trips unusual literals and names", () => {
    const r = new Rand(prng(7));
    const chars = [
      "a",
      "Z",
      "_",
      ".",
      " ",
      "`",
      "\\",
      '"',
      "'",
      "\n",
      "\r",
      "\t",
      "é",
      "😀",
      "-",
      "*",
      "(",
      ")",
      ",",
      "\u0000",
      "\u2028",
    ];
    const str = (n: number) => Array.from({ length: n }, () => r.pick(chars)).join("");
    for (let k = 0; k < 500; k++) {
      const name = str(1 + r.int(8));
      const lit = r.pick<string | number | boolean | null>([
        str(r.int(10)),
        r.next() * 1e6 - 5e5,
        -r.int(1000),
        1e21,
        1e-7,
        0.1,
        true,
        null,
      ]);
      const ast: SegmentAst = {
        op: "and",
        args: [
          { op: "=", args: [{ ident: name }, { val: lit }] },
          { op: "include", args: [{ ident: name }] },
        ],
      };
      const text = print({ table: name, alias: name, ast });
      const back = parse(text);
      expect(back).toEqual({ table: name, alias: name, ast });
    }
  });
});
