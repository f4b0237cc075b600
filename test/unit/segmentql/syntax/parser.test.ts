import { describe, expect, it } from "vitest";
import { parse, SegmentQLError, type SegmentAst } from "../../../../edge/segmentql/index";

const id = (ident: string) => ({ ident });
const v = (val: string | number | boolean | null) => ({ val });

/** The AST of `FILTER <expr>`. */
const ast = (expr: string): SegmentAst => parse(`FILTER ${expr}`).ast;

function errorOf(text: string): SegmentQLError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SegmentQLError);
    return e as SegmentQLError;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(text)}`);
}

describe("parse: statements", () => {
  it("parses the reference example with a comment, FROM and ALIAS", () => {
    const seg = parse(`
-- Paying Users Segment
FILTER AND (
    paying_user = "t"
)
FROM user
ALIAS demo_segment
`);
    expect(seg).toEqual({
      table: "user",
      alias: "demo_segment",
      ast: { op: "and", args: [{ op: "=", args: [id("paying_user"), v("t")] }] },
    });
  });

  it("parses comma-separated conditions without FROM (subscription example)", () => {
    const seg = parse("FILTER AND ( score_momentum > 25, score_quantity > 25 ) ALIAS seg_webhook1");
    expect(seg.table).toBe("user");
    expect(seg.alias).toBe("seg_webhook1");
    expect(seg.ast).toEqual({
      op: "and",
      args: [
        { op: ">", args: [id("score_momentum"), v(25)] },
        { op: ">", args: [id("score_quantity"), v(25)] },
      ],
    });
  });

  it("accepts newline-separated items, trailing commas, ALIAS before FROM and a final semicolon", () => {
    const a = parse("FILTER OR (\n a = 1\n b = 2,\n) ALIAS x FROM content;");
    expect(a).toEqual({
      table: "content",
      alias: "x",
      ast: {
        op: "or",
        args: [
          { op: "=", args: [id("a"), v(1)] },
          { op: "=", args: [id("b"), v(2)] },
        ],
      },
    });
  });

  it("accepts FILTER with a single expression and no alias", () => {
    const seg = parse("FILTER visitct >= 3");
    expect(seg).toEqual({ table: "user", ast: { op: ">=", args: [id("visitct"), v(3)] } });
    expect("alias" in seg).toBe(false);
  });

  it("is case-insensitive for keywords", () => {
    expect(parse("filter and ( a in (1) ) from user alias s")).toEqual(
      parse("FILTER AND ( a IN (1) ) FROM user ALIAS s"),
    );
  });

  it("accepts quoted names for ALIAS, FROM and INCLUDE", () => {
    const seg = parse("FILTER INCLUDE \"my-seg\" FROM `user` ALIAS 'slug-1'");
    expect(seg).toEqual({ table: "user", alias: "slug-1", ast: { op: "include", args: [id("my-seg")] } });
  });
});

describe("parse: operators", () => {
  it.each([
    ["a = 1", "="],
    ["a == 1", "="],
    ["a != 1", "!="],
    ["a <> 1", "!="],
    ["a > 1", ">"],
    ["a >= 1", ">="],
    ["a < 1", "<"],
    ["a <= 1", "<="],
  ])("%s", (text, op) => {
    expect(ast(text)).toEqual({ op, args: [id("a"), v(1)] });
  });

  it("IN and INTERSECTS with lists of mixed literals, and empty lists", () => {
    expect(ast(`c IN ("US", 'ca', 3, -1.5, true, false, null)`)).toEqual({
      op: "in",
      args: [id("c"), { args: [v("US"), v("ca"), v(3), v(-1.5), v(true), v(false), v(null)] }],
    });
    expect(ast('tags INTERSECTS ("a","b")')).toEqual({
      op: "intersects",
      args: [id("tags"), { args: [v("a"), v("b")] }],
    });
    expect(ast("tags IN ()")).toEqual({ op: "in", args: [id("tags"), { args: [] }] });
  });

  it("CONTAINS, LIKE, EXISTS, BETWEEN, INCLUDE", () => {
    expect(ast('email CONTAINS "gmail"')).toEqual({ op: "contains", args: [id("email"), v("gmail")] });
    expect(ast('email LIKE "*@gmail.com"')).toEqual({ op: "like", args: [id("email"), v("*@gmail.com")] });
    expect(ast("EXISTS email")).toEqual({ op: "exists", args: [id("email")] });
    expect(ast('score BETWEEN 1 AND "now-2d"')).toEqual({ op: "between", args: [id("score"), v(1), v("now-2d")] });
    expect(ast("INCLUDE high_value")).toEqual({ op: "include", args: [id("high_value")] });
  });

  it("relative times stay string literals in the AST", () => {
    for (const rel of ["now", "now-30d", "now+2h", "now-1w", "now-15m", "now-10s"]) {
      expect(ast(`last_visit > "${rel}"`)).toEqual({ op: ">", args: [id("last_visit"), v(rel)] });
    }
  });

  it("NOT prefixes and infix NOT on IN/INTERSECTS/LIKE/CONTAINS/BETWEEN", () => {
    const notOf = (inner: SegmentAst): SegmentAst => ({ op: "not", args: [inner] });
    expect(ast("NOT a = 1")).toEqual(notOf({ op: "=", args: [id("a"), v(1)] }));
    expect(ast("! a = 1")).toEqual(notOf({ op: "=", args: [id("a"), v(1)] }));
    expect(ast("a NOT IN (1)")).toEqual(notOf({ op: "in", args: [id("a"), { args: [v(1)] }] }));
    expect(ast("a NOT INTERSECTS (1)")).toEqual(notOf({ op: "intersects", args: [id("a"), { args: [v(1)] }] }));
    expect(ast('a NOT LIKE "x*"')).toEqual(notOf({ op: "like", args: [id("a"), v("x*")] }));
    expect(ast('a NOT CONTAINS "x"')).toEqual(notOf({ op: "contains", args: [id("a"), v("x")] }));
    expect(ast("a NOT BETWEEN 1 AND 2")).toEqual(notOf({ op: "between", args: [id("a"), v(1), v(2)] }));
    expect(ast("NOT EXISTS a")).toEqual(notOf({ op: "exists", args: [id("a")] }));
    expect(ast("NOT INCLUDE s")).toEqual(notOf({ op: "include", args: [id("s")] }));
    expect(ast("NOT NOT a = 1")).toEqual(notOf(notOf({ op: "=", args: [id("a"), v(1)] })));
    expect(ast("NOT AND ( a = 1 )")).toEqual(notOf({ op: "and", args: [{ op: "=", args: [id("a"), v(1)] }] }));
  });

  it("nested AND/OR/NOT groups and bare parentheses", () => {
    expect(ast("AND ( a = 1, OR ( b = 2, NOT ( c = 3 ) ), ( d = 4, e = 5 ) )")).toEqual({
      op: "and",
      args: [
        { op: "=", args: [id("a"), v(1)] },
        {
          op: "or",
          args: [
            { op: "=", args: [id("b"), v(2)] },
            { op: "not", args: [{ op: "=", args: [id("c"), v(3)] }] },
          ],
        },
        {
          op: "and",
          args: [
            { op: "=", args: [id("d"), v(4)] },
            { op: "=", args: [id("e"), v(5)] },
          ],
        },
      ],
    });
  });

  it("identifiers with dots, backticks and keyword-like names", () => {
    expect(ast("hourofday.12 > 3")).toEqual({ op: ">", args: [id("hourofday.12"), v(3)] });
    expect(ast("`first name` = 'Ann'")).toEqual({ op: "=", args: [id("first name"), v("Ann")] });
    expect(ast("`prefs`.`news letter` = true")).toEqual({ op: "=", args: [id("prefs.news letter"), v(true)] });
    expect(ast("m.`a b`.c = 1")).toEqual({ op: "=", args: [id("m.a b.c"), v(1)] });
    expect(ast("`from` = 1")).toEqual({ op: "=", args: [id("from"), v(1)] });
    expect(ast("`a\\`b` = 1")).toEqual({ op: "=", args: [id("a`b"), v(1)] });
  });

  it("string escapes and both quote styles", () => {
    expect(ast(String.raw`a = "q\"u\\o\n\tt\u0041"`)).toEqual({ op: "=", args: [id("a"), v('q"u\\o\n\ttA')] });
    expect(ast(String.raw`a = 'it\'s "fine"'`)).toEqual({ op: "=", args: [id("a"), v(`it's "fine"`)] });
  });

  it("numbers: integers, decimals, negatives, exponents; booleans and null", () => {
    expect(ast("a = -0")).toEqual({ op: "=", args: [id("a"), v(0)] });
    expect(Object.is((ast("a = -0") as { args: [unknown, { val: number }] }).args[1].val, 0)).toBe(true);
    expect(ast("a = .5")).toEqual({ op: "=", args: [id("a"), v(0.5)] });
    expect(ast("a = 1.5e3")).toEqual({ op: "=", args: [id("a"), v(1500)] });
    expect(ast("a = 1E-2")).toEqual({ op: "=", args: [id("a"), v(0.01)] });
    expect(ast("a = TRUE")).toEqual({ op: "=", args: [id("a"), v(true)] });
    expect(ast("a = false")).toEqual({ op: "=", args: [id("a"), v(false)] });
    expect(ast("a = NULL")).toEqual({ op: "=", args: [id("a"), v(null)] });
  });

  it("comments anywhere, CRLF line ends", () => {
    const seg = parse("-- head\r\nFILTER AND ( -- open\r\n  a = 1 -- one\r\n  b = 2\r\n) -- close\r\nALIAS x -- done");
    expect(seg.ast).toEqual({
      op: "and",
      args: [
        { op: "=", args: [id("a"), v(1)] },
        { op: "=", args: [id("b"), v(2)] },
      ],
    });
  });
});

describe("parse: errors point at line and column and say what was expected", () => {
  it("missing FILTER", () => {
    const e = errorOf("  AND ( a = 1 )");
    expect([e.line, e.column]).toEqual([1, 3]);
    expect(e.expected).toEqual(["FILTER"]);
    expect(e.message).toContain('expected "FILTER" but found "AND"');
  });

  it("missing closing parenthesis", () => {
    const e = errorOf("FILTER AND (\n    a = 1\n    b = 2\nFROM user");
    expect([e.line, e.column]).toEqual([4, 1]);
    expect(e.expected).toEqual([",", ")"]);
  });

  it("missing value at end of input", () => {
    const e = errorOf("FILTER AND (\n  visitct >");
    expect([e.line, e.column]).toEqual([2, 12]);
    expect(e.expected).toEqual(["string", "number", "TRUE", "FALSE", "NULL"]);
    expect(e.message).toContain("end of input");
  });

  it("unknown operator after a field", () => {
    const e = errorOf('FILTER AND (\n  a = 1,\n  country IS "US"\n)');
    expect([e.line, e.column]).toEqual([3, 11]);
    expect(e.expected).toContain("IN");
    expect(e.expected).toContain("=");
  });

  it("unterminated string points at its opening quote", () => {
    const e = errorOf('FILTER AND (\n  a = 1\n  name = "abc\n)');
    expect([e.line, e.column]).toEqual([3, 10]);
    expect(e.message).toContain("unterminated string");
    expect(e.expected).toEqual(['"']);
  });

  it("relative time without quotes is an invalid number", () => {
    const e = errorOf("FILTER last_visit > 7d");
    expect([e.line, e.column]).toEqual([1, 21]);
    expect(e.message).toContain('invalid number "7d"; expected string, number');
    expect(e.expected).toEqual(["string", "number", "TRUE", "FALSE", "NULL"]);
  });

  it("empty group", () => {
    const e = errorOf("FILTER OR ( )");
    expect([e.line, e.column]).toEqual([1, 13]);
    expect(e.expected).toEqual(["NOT", "AND", "OR", "(", "EXISTS", "INCLUDE", "field name"]);
  });

  it("keyword used as a field name", () => {
    const e = errorOf("FILTER AND ( from = 1 )");
    expect([e.line, e.column]).toEqual([1, 14]);
  });

  it("BETWEEN without AND", () => {
    const e = errorOf("FILTER a BETWEEN 1 OR 2");
    expect([e.line, e.column]).toEqual([1, 20]);
    expect(e.expected).toEqual(["AND"]);
  });

  it("duplicate ALIAS and trailing garbage", () => {
    const e = errorOf("FILTER a = 1 ALIAS x ALIAS y");
    expect([e.line, e.column]).toEqual([1, 22]);
    expect(e.expected).toEqual(["FROM", "end of input"]);
    const g = errorOf("FILTER a = 1; b");
    expect([g.line, g.column]).toEqual([1, 15]);
  });

  it("unexpected character", () => {
    const e = errorOf("FILTER a = 1 @");
    expect([e.line, e.column]).toEqual([1, 14]);
    expect(e.message).toContain('unexpected character "@"');
    expect(e.expected).toEqual(["FROM", "ALIAS", "end of input"]);
  });

  it("reports the first error in the text, even when a later character is bad", () => {
    const e = errorOf("FILTER AND (\n  a = = 1 ) @");
    expect([e.line, e.column]).toEqual([2, 7]);
    expect(e.message).toContain('but found "="');
  });

  it("columns count from the start of the line after multi-line strings", () => {
    const e = errorOf('FILTER AND (\n  a = "x\ny" b ~\n)');
    expect([e.line, e.column]).toEqual([3, 6]);
  });

  it("NOT followed by a comparison operator", () => {
    const e = errorOf("FILTER a NOT = 1");
    expect([e.line, e.column]).toEqual([1, 14]);
    expect(e.expected).toEqual(["IN", "LIKE", "CONTAINS", "BETWEEN", "INTERSECTS"]);
  });

  it("rejects nesting beyond the limit with a SegmentQLError, not a stack overflow", () => {
    const e = errorOf("FILTER " + "(".repeat(5000) + "a = 1" + ")".repeat(5000));
    expect(e.message).toContain("nested deeper");
    const n = errorOf("FILTER " + "NOT ".repeat(5000) + "a = 1");
    expect(n.message).toContain("nested deeper");
  });
});
