import { describe, expect, it } from "vitest";
import {
  compile,
  evaluateNaive,
  parse,
  print,
  SegmentQLError,
  validateAst,
  type ParsedSegment,
} from "../../../edge/segmentql/index";
import { NOW, Rand, prng, randomAst, randomProfile } from "./gen";

/** Runs `f`; anything thrown must be a SegmentQLError with a sane position. */
function onlySegmentQLError<T>(f: () => T, input: unknown, textual: boolean): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof SegmentQLError)) {
      throw new Error(`non-SegmentQLError ${String(e)} for input ${JSON.stringify(input)}`);
    }
    if (textual) {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeGreaterThanOrEqual(1);
    } else {
      expect([e.line, e.column]).toEqual([0, 0]);
    }
    return undefined;
  }
}

/** Whatever parses must print, re-parse to the same thing, and evaluate identically in both engines. */
function checkParsed(seg: ParsedSegment, r: Rand): void {
  const again = parse(print(seg));
  expect(again).toEqual(seg);
  const p = randomProfile(r);
  expect(compile(seg.ast).test(p, NOW)).toBe(evaluateNaive(seg.ast, p, NOW));
}

const PIECES = [
  "FILTER",
  "AND",
  "OR",
  "NOT",
  "(",
  ")",
  ",",
  ";",
  "IN",
  "LIKE",
  "CONTAINS",
  "BETWEEN",
  "INTERSECTS",
  "EXISTS",
  "INCLUDE",
  "FROM",
  "ALIAS",
  "user",
  "a",
  "b.c",
  "m.",
  ".x",
  "`x y`",
  "`",
  "``",
  '"str"',
  "'s'",
  '"unterminated',
  "`bad",
  "42",
  "-1.5",
  ".5",
  "1e",
  "1e+3",
  "7d",
  "0x10",
  "=",
  "==",
  "!=",
  "<>",
  ">=",
  "<=",
  ">",
  "<",
  "!",
  "-",
  "--c\n",
  "\n",
  "\r",
  "\t",
  "@",
  "true",
  "FALSE",
  "null",
  "\\",
  "é",
  "😀",
  "\u0000",
  '"now-7d"',
  "'\\u00'",
  "'\\",
  "((",
  "))",
  "*",
];

describe("fuzz (seeded): parse never throws anything but SegmentQLError", () => {
  it("random token soup (2,500 cases)", () => {
    const r = new Rand(prng(0xc0ffee));
    const kinds = new Set<string>();
    for (let k = 0; k < 2500; k++) {
      const n = 1 + r.int(25);
      const parts: string[] = [];
      if (r.chance(0.7)) parts.push("FILTER");
      for (let j = 0; j < n; j++) parts.push(r.pick(PIECES));
      const text = parts.join(r.chance(0.5) ? " " : r.pick(["", "\n", "  "]));
      const seg = onlySegmentQLError(() => parse(text), text, true);
      if (seg !== undefined) checkParsed(seg, r);
      try {
        parse(text);
      } catch (e) {
        kinds.add((e as Error).message.replace(/ at line.*$/, "").replace(/found .*$/, "found"));
      }
    }
    // The soup reaches many distinct error paths of the lexer and parser.
    expect(kinds.size).toBeGreaterThan(15);
  });

  it("mutations of valid segments (2,500 cases)", () => {
    const r = new Rand(prng(0xbadf00d));
    const alphabet = [..."()\",'`*=<>!-.;\n AND OR NOT 0123456789abcxyz", "😀", "é", "\\"];
    let parsed = 0;
    for (let k = 0; k < 2500; k++) {
      let text = print({ table: "user", alias: `s${k}`, ast: randomAst(r, 3, ["inc_a", "inc_b"]) });
      const edits = 1 + r.int(3);
      for (let e = 0; e < edits; e++) {
        const at = r.int(text.length + 1);
        switch (r.int(5)) {
          case 0:
            text = text.slice(0, at) + text.slice(at + 1 + r.int(8));
            break;
          case 1:
            text = text.slice(0, at) + r.pick(alphabet) + text.slice(at);
            break;
          case 2: {
            const from = r.int(text.length);
            text = text.slice(0, at) + text.slice(from, from + r.int(20)) + text.slice(at);
            break;
          }
          case 3:
            text = text.slice(0, at);
            break;
          default:
            text = text.slice(0, at) + r.pick(alphabet) + text.slice(at + 1);
        }
      }
      const seg = onlySegmentQLError(() => parse(text), text, true);
      if (seg !== undefined) {
        parsed++;
        checkParsed(seg, r);
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });

  it("pathological inputs finish quickly with a SegmentQLError or a result", () => {
    const big = [
      "FILTER " + "(".repeat(100_000),
      "FILTER " + "NOT ".repeat(100_000) + "a = 1",
      "FILTER a = " + '"'.repeat(99_999),
      "FILTER OR ( " + "a = 1 ".repeat(20_000) + ")",
      "FILTER a IN (" + "1, ".repeat(50_000) + "2)",
      "-- " + "x".repeat(100_000),
      'FILTER a LIKE "' + "*a".repeat(5_000) + 'b"',
    ];
    for (const text of big) onlySegmentQLError(() => parse(text), text.slice(0, 50), true);
    // A LIKE pattern that would backtrack badly as a regular expression.
    const seg = parse(`FILTER a LIKE "${"*a".repeat(30)}*b"`);
    const p = { a: "a".repeat(5_000) };
    expect(compile(seg.ast).test(p, NOW)).toBe(false);
    expect(evaluateNaive(seg.ast, { a: "a".repeat(300) }, NOW)).toBe(false);
  });
});

describe("fuzz (seeded): validateAst never throws anything but SegmentQLError", () => {
  const garbage = (r: Rand): unknown =>
    r.pick<unknown>([
      null,
      undefined,
      0,
      -1,
      NaN,
      Infinity,
      "",
      "x",
      "and",
      true,
      [],
      [null],
      {},
      { op: 1 },
      { ident: 3 },
      { val: [] },
      { args: {} },
      { op: "NOT" },
      { __proto__: null },
    ]);

  function mutate(r: Rand, node: unknown, depth: number): unknown {
    if (r.chance(0.08)) return garbage(r);
    if (Array.isArray(node)) {
      const out = node.map((x) => mutate(r, x, depth + 1));
      if (r.chance(0.05)) out.pop();
      if (r.chance(0.05)) out.push(garbage(r));
      return out;
    }
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        if (r.chance(0.04)) continue;
        out[r.chance(0.03) ? r.pick(["op", "args", "ident", "val", "val_type", "extra", "__proto__"]) : k] = mutate(
          r,
          v,
          depth + 1,
        );
      }
      if (r.chance(0.04)) out["op"] = r.pick(["AND", "==", "<>", "xor", "include", "between", "", "toString"]);
      if (r.chance(0.03)) out["val_type"] = r.pick([0, 10, 11, 12, 20, 99, "11"]);
      return out;
    }
    return node;
  }

  it("mutated and random JSON (3,000 cases)", () => {
    const r = new Rand(prng(31337));
    let valid = 0;
    for (let k = 0; k < 3000; k++) {
      const json = mutate(r, JSON.parse(JSON.stringify(randomAst(r, 3, ["x"]))), 0);
      const ast = onlySegmentQLError(() => validateAst(json), json, false);
      if (ast === undefined) continue;
      valid++;
      expect(parse(print({ table: "user", ast })).ast).toEqual(ast);
      const p = randomProfile(r);
      expect(compile(ast).test(p, NOW)).toBe(evaluateNaive(ast, p, NOW));
    }
    expect(valid).toBeGreaterThan(300);
    expect(valid).toBeLessThan(2900);
  });

  it("compile rejects unvalidated garbage with SegmentQLError too", () => {
    const r = new Rand(prng(5));
    for (let k = 0; k < 200; k++) {
      const json = garbage(r);
      onlySegmentQLError(() => compile(json as never), json, false);
    }
  });
});

describe("fuzz (seeded): evaluation never throws on odd profiles", () => {
  it("random ASTs against profiles with odd shapes (2,000 cases)", () => {
    const r = new Rand(prng(2718));
    const odd = [
      NaN,
      Infinity,
      -0,
      "",
      " ",
      "\u0000",
      [[1]],
      [{}],
      { a: { b: { c: {} } } },
      [null, undefined],
      "9".repeat(400),
      "2024-13-45",
      "now",
    ];
    for (let k = 0; k < 2000; k++) {
      const ast = randomAst(r, 3);
      const p = randomProfile(r) as Record<string, unknown>;
      for (const f of ["n", "s", "t", "tags", "m", "ts"]) if (r.chance(0.3)) p[f] = r.pick(odd);
      const profile = p as never;
      const a = compile(ast).test(profile, NOW);
      expect(a).toBe(evaluateNaive(ast, profile, NOW));
      compile(ast).nextBoundary(profile, NOW);
    }
  });
});
