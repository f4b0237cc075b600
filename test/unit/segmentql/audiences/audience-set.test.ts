import { describe, expect, it } from "vitest";
import {
  compileAll,
  detectCycle,
  includes,
  parse,
  SegmentQLError,
  type SegmentAst,
} from "../../../../edge/segmentql/index";

const NOW = Date.UTC(2024, 5, 1, 12);
const seg = (slug: string, text: string) => ({ slug, ast: parse(`FILTER ${text}`).ast });

describe("includes", () => {
  it("lists directly INCLUDEd slugs once each, in order", () => {
    const ast = parse("FILTER AND ( INCLUDE b, OR ( NOT INCLUDE a, INCLUDE b ), x = 1, INCLUDE c )").ast;
    expect(includes(ast)).toEqual(["b", "a", "c"]);
    expect(includes(parse("FILTER x = 1").ast)).toEqual([]);
  });
});

describe("detectCycle", () => {
  it("returns null for acyclic graphs and names outside the graph", () => {
    expect(detectCycle({})).toBeNull();
    expect(detectCycle({ a: ["b", "c"], b: ["c"], c: [], d: ["a", "zzz"] })).toBeNull();
  });

  it("returns the cycle path, first node repeated at the end", () => {
    expect(detectCycle({ a: ["a"] })).toEqual(["a", "a"]);
    expect(detectCycle({ a: ["b"], b: ["c"], c: ["a"] })).toEqual(["a", "b", "c", "a"]);
    expect(detectCycle({ x: ["a"], a: ["b"], b: ["c"], c: ["b"] })).toEqual(["b", "c", "b"]);
  });

  it("handles long chains without recursion limits", () => {
    const g: Record<string, string[]> = {};
    for (let i = 0; i < 50_000; i++) g[`n${i}`] = [`n${i + 1}`];
    expect(detectCycle(g)).toBeNull();
    g["n50000"] = ["n0"];
    const cycle = detectCycle(g);
    expect(cycle?.length).toBe(50_002);
    expect(cycle?.[0]).toBe(cycle?.[cycle.length - 1]);
  });
});

describe("compileAll", () => {
  it("resolves INCLUDEs in dependency order whatever the input order", () => {
    const segments = [
      seg("top", "AND ( INCLUDE mid, NOT INCLUDE blocked )"),
      seg("mid", "OR ( INCLUDE base, vip = true )"),
      seg("blocked", 'country = "XX"'),
      seg("base", "visitct > 3"),
    ];
    const set = compileAll(segments);
    expect(set.slugs).toEqual(["top", "mid", "blocked", "base"]);
    expect(set.evaluate({ visitct: 5 }, NOW)).toEqual(["top", "mid", "base"]);
    expect(set.evaluate({ visitct: 1 }, NOW)).toEqual([]);
    expect(set.evaluate({ visitct: 1, vip: true }, NOW)).toEqual(["top", "mid"]);
    expect(set.evaluate({ visitct: 5, country: "XX" }, NOW)).toEqual(["mid", "blocked", "base"]);
  });

  it("treats INCLUDE of an unknown slug as false", () => {
    const set = compileAll([seg("a", "INCLUDE nowhere"), seg("b", "NOT INCLUDE nowhere")]);
    expect(set.evaluate({}, NOW)).toEqual(["b"]);
  });

  it("rejects INCLUDE cycles at compile time, naming the cycle", () => {
    const bad = [seg("a", "INCLUDE b"), seg("b", "AND ( x = 1, INCLUDE c )"), seg("c", "OR ( INCLUDE a, y = 2 )")];
    expect(() => compileAll(bad)).toThrow(SegmentQLError);
    expect(() => compileAll(bad)).toThrow("INCLUDE cycle: a -> b -> c -> a");
    expect(() => compileAll([seg("self", "INCLUDE self")])).toThrow("INCLUDE cycle: self -> self");
  });

  it("update finds a cycle closed by adding the audience an existing one INCLUDEs, however far back", () => {
    // c -> b -> a -> gone: adding `gone` as INCLUDE c closes gone -> c -> b -> a -> gone.
    const set = compileAll([
      seg("a", "OR ( INCLUDE gone, x = 1 )"),
      seg("b", "INCLUDE a"),
      ...Array.from({ length: 50 }, (_, k) => seg(`pad${k}`, `x = ${k}`)),
      seg("c", "INCLUDE b"),
    ]);
    expect(set.evaluate({ x: 1 }, NOW)).toEqual(["a", "b", "pad1", "c"]);
    expect(() => set.update({ put: [seg("gone", "INCLUDE c")] })).toThrow("INCLUDE cycle: gone -> c -> b -> a -> gone");
    // Without the cycle the new audience is found, and the INCLUDE of it now reads it.
    const next = set.update({ put: [seg("gone", "y = 2")] });
    expect(next.evaluate({ y: 2 }, NOW)).toEqual(["a", "b", "c", "gone"]);
    expect(next.astOf("gone")).toEqual(parse("FILTER y = 2").ast);
    expect(set.astOf("gone")).toBeUndefined();
  });

  it("keeps sets apart when one set is extended twice and an extension extended again", () => {
    const base = [seg("a", "x = 1"), seg("b", "OR ( INCLUDE p, INCLUDE q )")];
    const set = compileAll(base);
    // Two additions from the same set (two profiles catching up from one cached set), then one of them extended.
    const withP = set.update({ put: [seg("p", "x = 1")] });
    const withQ = set.update({ put: [seg("q", "y = 2"), seg("r", "INCLUDE q")] });
    const withPS = withP.update({ put: [seg("s", "AND ( INCLUDE p, INCLUDE b )")] });
    const lists = new Map([
      [set, base],
      [withP, [...base, seg("p", "x = 1")]],
      [withQ, [...base, seg("q", "y = 2"), seg("r", "INCLUDE q")]],
      [withPS, [...base, seg("p", "x = 1"), seg("s", "AND ( INCLUDE p, INCLUDE b )")]],
    ]);
    for (const profile of [{ x: 1 }, { y: 2 }, { x: 1, y: 2 }, {}])
      for (const [s, list] of lists) {
        const fresh = compileAll(list);
        expect(s.slugs).toEqual(fresh.slugs);
        expect(s.evaluate(profile, NOW)).toEqual(fresh.evaluate(profile, NOW));
      }
    expect(set.astOf("p")).toBeUndefined();
    expect(withQ.astOf("p")).toBeUndefined();
    expect(withP.astOf("q")).toBeUndefined();
    expect(withPS.astOf("s")).toEqual(parse("FILTER AND ( INCLUDE p, INCLUDE b )").ast);
    // A cycle through audiences of another branch is not seen where they are absent, and is refused where present.
    expect(() => withP.update({ put: [seg("q", "INCLUDE b")] })).toThrow("INCLUDE cycle");
    expect(withQ.update({ put: [seg("p", "INCLUDE a")] }).evaluate({ x: 1 }, NOW)).toEqual(["a", "b", "p"]);
  });

  it("evaluates an audience that INCLUDEs one listed after it", () => {
    const set = compileAll([
      seg("first", "AND ( INCLUDE second, x = 1 )"),
      seg("second", "NOT INCLUDE third"),
      seg("third", "y = 1"),
    ]);
    expect(set.evaluate({ x: 1 }, NOW)).toEqual(["first", "second"]);
    expect(set.evaluate({ x: 1, y: 1 }, NOW)).toEqual(["third"]);
  });

  it("rejects duplicate or empty slugs and invalid ASTs with SegmentQLError", () => {
    expect(() => compileAll([seg("a", "x = 1"), seg("a", "x = 2")])).toThrow('duplicate slug "a"');
    expect(() => compileAll([seg("", "x = 1")])).toThrow("slug must be a non-empty string");
    const broken = { slug: "z", ast: { op: "nope", args: [] } as unknown as SegmentAst };
    expect(() => compileAll([broken])).toThrow('segment "z": ast.op: unknown operator');
  });

  it("shares identical conditions across segments without mixing their results", () => {
    const set = compileAll([
      seg("a", 'AND ( country = "US", visitct > 3 )'),
      seg("b", 'AND ( country = "US", visitct <= 3 )'),
      seg("c", 'OR ( country = "US", visitct > 3 )'),
      seg("d", 'NOT country = "US"'),
    ]);
    expect(set.evaluate({ country: "US", visitct: 5 }, NOW)).toEqual(["a", "c"]);
    expect(set.evaluate({ country: "US", visitct: 1 }, NOW)).toEqual(["b", "c"]);
    expect(set.evaluate({ country: "FR", visitct: 9 }, NOW)).toEqual(["c", "d"]);
    expect(set.evaluate({}, NOW)).toEqual(["d"]);
  });

  it("does not leak cached field values between evaluations of different profiles", () => {
    const set = compileAll([seg("a", 'AND ( name LIKE "a*", score > 5, last > "now-1d" )')]);
    const p1 = { name: "ann", score: "10", last: new Date(NOW).toISOString() };
    const p2 = { name: "bob", score: "1", last: new Date(NOW - 2 * 86_400_000).toISOString() };
    for (let k = 0; k < 5; k++) {
      expect(set.evaluate(p1, NOW)).toEqual(["a"]);
      expect(set.evaluate(p2, NOW)).toEqual([]);
    }
    // The same profile object, mutated between calls, is re-read.
    const p3 = { ...p1 };
    expect(set.evaluate(p3, NOW)).toEqual(["a"]);
    p3.score = "2";
    expect(set.evaluate(p3, NOW)).toEqual([]);
  });
});
