import { describe, expect, it } from "vitest";
import { compile, compileAll, evaluateNaive, parse, type Profile } from "../../../edge/segmentql/index";

const NOW = Date.UTC(2024, 5, 1, 12); // 2024-06-01T12:00:00Z
const DAY = 86_400_000;

/** Evaluates `FILTER <expr>` with every engine; they must agree. */
function run(expr: string, profile: Profile, now = NOW): boolean {
  const { ast } = parse(`FILTER ${expr}`);
  const naive = evaluateNaive(ast, profile, now);
  const compiled = compile(ast).test(profile, now);
  const all = compileAll([{ slug: "s", ast }])
    .evaluate(profile, now)
    .includes("s");
  expect({ expr, compiled, all }).toEqual({ expr, compiled: naive, all: naive });
  return naive;
}

type Case = [expr: string, profile: Profile, expected: boolean];

function table(cases: Case[]): void {
  for (const [expr, profile, expected] of cases) {
    expect({ expr, profile, result: run(expr, profile) }).toEqual({ expr, profile, result: expected });
  }
}

describe("missing fields and null", () => {
  it("comparisons on missing or null fields are false, != included", () => {
    for (const p of [{}, { a: null }] as Profile[]) {
      table([
        ["a = 1", p, false],
        ["a != 1", p, false],
        ["a > 1", p, false],
        ["a <= 1", p, false],
        ['a IN ("x", 1)', p, false],
        ['a INTERSECTS ("x")', p, false],
        ['a CONTAINS "x"', p, false],
        ['a LIKE "*"', p, false],
        ["a BETWEEN 0 AND 10", p, false],
        ['a > "now-1d"', p, false],
        ["EXISTS a", p, false],
      ]);
    }
  });

  it("NOT is plain negation: NOT of a comparison on a missing field is true", () => {
    table([
      ["NOT a = 1", {}, true],
      ["a NOT IN (1)", {}, true],
      ['a NOT LIKE "x*"', {}, true],
      ["NOT EXISTS a", { a: null }, true],
      ["NOT a != 1", {}, true],
    ]);
  });

  it("null literals test absence", () => {
    table([
      ["a = null", {}, true],
      ["a = null", { a: null }, true],
      ["a = null", { a: 0 }, false],
      ["a != null", { a: 0 }, true],
      ["a != null", { a: null }, false],
      ["a IN (null, 1)", {}, true],
      ["a IN (null, 1)", { a: 1 }, true],
      ["a IN (null, 1)", { a: 2 }, false],
      ["a > null", { a: 1 }, false],
      ["a CONTAINS null", { a: "null" }, false],
    ]);
  });

  it("EXISTS is false for empty values and true for 0 and false", () => {
    table([
      ["EXISTS a", { a: "" }, false],
      ["EXISTS a", { a: [] }, false],
      ["EXISTS a", { a: {} }, false],
      ["EXISTS a", { a: 0 }, true],
      ["EXISTS a", { a: false }, true],
      ["EXISTS a", { a: " " }, true],
      ["EXISTS a", { a: [null] }, true],
      ["EXISTS a.b", { a: { b: 1 } }, true],
      ["EXISTS a.c", { a: { b: 1 } }, false],
    ]);
  });
});

describe("equality and coercions", () => {
  it("numbers and numeric strings", () => {
    table([
      ["a = 42", { a: 42 }, true],
      ["a = 42", { a: "42" }, true],
      ["a = 42", { a: " 42.0 " }, true],
      ["a = 42", { a: "4.2e1" }, true],
      ["a = 42", { a: "0x2a" }, false],
      ["a = 42", { a: "42abc" }, false],
      ['a = "42"', { a: 42 }, true],
      ['a = "42"', { a: "42.0" }, false],
      ['a = "42.0"', { a: 42 }, true],
      ["a != 42", { a: "42" }, false],
      ["a != 42", { a: 41 }, true],
      ["a = 1", { a: true }, false],
    ]);
  });

  it("booleans and boolean strings", () => {
    table([
      ["a = true", { a: true }, true],
      ["a = true", { a: "true" }, true],
      ["a = true", { a: "TRUE" }, true],
      ["a = true", { a: "t" }, true],
      ["a = false", { a: "F" }, true],
      ["a = true", { a: "yes" }, false],
      ["a = true", { a: 1 }, false],
      ['a = "t"', { a: true }, true],
      ['a = "false"', { a: false }, true],
      ['a = "t"', { a: "t" }, true],
      ["a != true", { a: false }, true],
    ]);
  });

  it("string equality is case-sensitive", () => {
    table([
      ['a = "US"', { a: "US" }, true],
      ['a = "US"', { a: "us" }, false],
      ['a != "US"', { a: "us" }, true],
      ['a IN ("US", "CA")', { a: "CA" }, true],
      ['a IN ("US", "CA")', { a: "ca" }, false],
      ['a = "x"', { a: { x: 1 } }, false],
    ]);
  });

  it("IN mixes literal kinds with the same coercions as =", () => {
    table([
      ['a IN ("x", 3, true)', { a: "3" }, true],
      ['a IN ("x", 3, true)', { a: "T" }, true],
      ['a IN ("x", "3")', { a: 3 }, true],
      ['a IN ("x", "true")', { a: true }, true],
      ["a IN ()", { a: 1 }, false],
    ]);
  });
});

describe("arrays", () => {
  const tags = { tags: ["vip", "Beta", 7, "8"] };
  it("= IN INTERSECTS and ordering match if any element does", () => {
    table([
      ['tags = "vip"', tags, true],
      ['tags = "beta"', tags, false],
      ["tags = 8", tags, true],
      ['tags IN ("x", "Beta")', tags, true],
      ['tags INTERSECTS ("x", 7)', tags, true],
      ['tags INTERSECTS ("x", "y")', tags, false],
      ["tags > 7", tags, true],
      ["tags > 8", tags, false],
      ["tags BETWEEN 7.5 AND 8", tags, true],
      ["tags BETWEEN 7.1 AND 7.9", tags, false],
      ['tags LIKE "be*"', tags, true],
      ["tags = 1", { tags: [] }, false],
    ]);
  });

  it("!= on an array means no element equals", () => {
    table([
      ['tags != "vip"', tags, false],
      ['tags != "gold"', tags, true],
      ['tags != "gold"', { tags: [] }, true],
    ]);
  });

  it("CONTAINS on an array is element membership, ignoring case", () => {
    table([
      ['tags CONTAINS "beta"', tags, true],
      ['tags CONTAINS "bet"', tags, false],
      ["tags CONTAINS 8", tags, true],
      ['tags CONTAINS "7"', tags, true],
    ]);
  });

  it("BETWEEN needs one element within both bounds", () => {
    table([
      ["a BETWEEN 2 AND 3", { a: [1, 4] }, false],
      ["a BETWEEN 2 AND 3", { a: [1, 2.5] }, true],
    ]);
  });
});

describe("CONTAINS and LIKE", () => {
  it("CONTAINS is a case-insensitive substring test on strings and numbers", () => {
    table([
      ['email CONTAINS "GMAIL"', { email: "ann@gmail.com" }, true],
      ['email CONTAINS "yahoo"', { email: "ann@gmail.com" }, false],
      ['email CONTAINS ""', { email: "x" }, true],
      ['zip CONTAINS "21"', { zip: 2134 }, true],
      ["zip CONTAINS 13", { zip: 2134 }, true],
      ['flag CONTAINS "t"', { flag: true }, false],
    ]);
  });

  it("CONTAINS on a map tests its keys", () => {
    table([
      ['prefs CONTAINS "News"', { prefs: { news: 1, sms: 0 } }, true],
      ['prefs CONTAINS "email"', { prefs: { news: 1 } }, false],
      ['prefs CONTAINS "sms"', { prefs: { SMS: false } }, true],
    ]);
  });

  it("LIKE is anchored, case-insensitive, with * wildcards only", () => {
    table([
      ['e LIKE "*@gmail.com"', { e: "Ann@GMAIL.com" }, true],
      ['e LIKE "*@gmail.com"', { e: "ann@gmail.com.evil" }, false],
      ['e LIKE "ann*"', { e: "annabel" }, true],
      ['e LIKE "a*b*c"', { e: "aXbYc" }, true],
      ['e LIKE "a*b*c"', { e: "aXcYb" }, false],
      ['e LIKE "a*b*b"', { e: "ab" }, false],
      ['e LIKE "a*a"', { e: "a" }, false],
      ['e LIKE "*ab*b"', { e: "xyzab" }, false],
      ['e LIKE "*ab*b"', { e: "xabyb" }, true],
      ['e LIKE "*b*b*"', { e: "xbx" }, false],
      ['e LIKE "*"', { e: "" }, true],
      ['e LIKE "a.c"', { e: "abc" }, false],
      ['e LIKE "a?c"', { e: "abc" }, false],
      ['e LIKE "a?c"', { e: "a?c" }, true],
      ['n LIKE "12*"', { n: 1234 }, true],
      ['e LIKE "x"', { e: { x: 1 } }, false],
    ]);
  });
});

describe("ordering and time", () => {
  it("numeric comparisons coerce numeric strings", () => {
    table([
      ["a > 5", { a: "10" }, true],
      ["a > 5", { a: "abc" }, false],
      ["a >= 10", { a: 10 }, true],
      ["a < 10", { a: 10 }, false],
      ["a <= 10", { a: "1e1" }, true],
      ['a > "5"', { a: 10 }, true],
      ["a > 5", { a: true }, false],
      ["a BETWEEN 1 AND 10", { a: 10 }, true],
      ["a BETWEEN 1 AND 10", { a: 0.5 }, false],
    ]);
  });

  it("non-numeric string literals compare with strings only", () => {
    table([
      ['name > "b"', { name: "c" }, true],
      ['name > "b"', { name: "B" }, false],
      ['name < "b"', { name: 1 }, false],
    ]);
  });

  it("booleans and null never order", () => {
    table([
      ["a > false", { a: true }, false],
      ["a < true", { a: false }, false],
      ["a BETWEEN null AND 5", { a: 1 }, false],
    ]);
  });

  it("relative times against ISO strings, epoch ms numbers and numeric strings", () => {
    const t = NOW - 3 * DAY;
    for (const lv of [new Date(t).toISOString(), t, String(t)]) {
      table([
        ['last_visit > "now-7d"', { last_visit: lv }, true],
        ['last_visit > "now-2d"', { last_visit: lv }, false],
        ['last_visit < "now-2d"', { last_visit: lv }, true],
        ['last_visit BETWEEN "now-4d" AND "now-2d"', { last_visit: lv }, true],
        ['last_visit >= "now-3d"', { last_visit: lv }, true],
        ['last_visit > "now-3d"', { last_visit: lv }, false],
        ['last_visit > "now-72h"', { last_visit: lv }, false],
        ['last_visit > "now-4321m"', { last_visit: lv }, true],
        ['last_visit > "now-1w+4d+1s"', { last_visit: lv }, false],
        ['last_visit > "now-1w+4d-1s"', { last_visit: lv }, true],
      ]);
    }
  });

  it("absolute dates, zone-less timestamps are UTC, bad dates never match", () => {
    table([
      ['d > "2024-01-01"', { d: "2024-01-01T00:00:00.001Z" }, true],
      ['d > "2024-01-01"', { d: "2023-12-31T23:59:59Z" }, false],
      ['d = "2024-01-01"', { d: "2024-01-01" }, true],
      ['d >= "2024-01-01T10:00:00Z"', { d: "2024-01-01 10:00:00" }, true],
      ['d >= "2024-01-01T10:00:00Z"', { d: "2024-01-01T11:30:00+02:00" }, false],
      ['d < "2024-03-01"', { d: "2024-02-30" }, false],
      ['d < "2024-03-01"', { d: "yesterday" }, false],
      ['d < "2024-03-01"', { d: Date.UTC(2024, 1, 29) }, true],
      ['d > "now"', { d: NOW + 1 }, true],
      ["d > 5", { d: "2024-01-01" }, false],
    ]);
  });

  it("relative times are plain strings outside ordering comparisons", () => {
    table([
      ['d = "now"', { d: "now" }, true],
      ['d = "now"', { d: NOW }, false],
      ['d IN ("now-1d")', { d: NOW - DAY }, false],
    ]);
  });
});

describe("maps and dotted names", () => {
  it("reads map keys, prefers a flat dotted key, ignores inherited properties", () => {
    table([
      ["prefs.email = true", { prefs: { email: true } }, true],
      ["a.b.c > 1", { a: { b: { c: 2 } } }, true],
      ["a.b.c > 1", { a: { b: [{ c: 2 }] } }, false],
      ['utm.source = "ad"', { "utm.source": "ad", utm: { source: "x" } }, true],
      ['utm.source = "x"', { utm: { source: "x" } }, true],
      ["EXISTS constructor", {}, false],
      ["EXISTS toString", {}, false],
      ["EXISTS a.constructor", { a: {} }, false],
    ]);
  });
});

describe("INCLUDE through an EvalContext", () => {
  it("asks ctx.isMember and is false without a context", () => {
    const { ast } = parse("FILTER AND ( INCLUDE vip, NOT INCLUDE churned )");
    const ctx = (members: string[]) => ({ isMember: (s: string) => members.includes(s) });
    const c = compile(ast);
    for (const [members, expected] of [
      [["vip"], true],
      [["vip", "churned"], false],
      [[], false],
    ] as const) {
      expect(c.test({}, NOW, ctx([...members]))).toBe(expected);
      expect(evaluateNaive(ast, {}, NOW, ctx([...members]))).toBe(expected);
    }
    expect(c.test({}, NOW)).toBe(false);
    expect(evaluateNaive(ast, {}, NOW)).toBe(false);
  });

  it("a compiled segment can be re-entered from its own EvalContext", () => {
    const c = compile(parse("FILTER AND ( a = 1, INCLUDE inner )").ast);
    const inner = { isMember: () => c.test({ a: 2 }, NOW) === false };
    expect(c.test({ a: 1 }, NOW, inner)).toBe(true);
  });
});
