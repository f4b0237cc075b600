import { describe, expect, it } from "vitest";
import { compile, compileAll, evaluateAllNaive, evaluateNaive, type SegmentAst } from "../../../edge/segmentql/index";
import { NOW, Rand, prng, randomAst, randomProfile } from "./gen";

const DAY = 86_400_000;

describe("compiled evaluation equals the naive AST walk (seeded random corpus)", () => {
  it("compile(ast).test == evaluateNaive on 6,000 (audience, profile) pairs", () => {
    const r = new Rand(prng(42));
    let trues = 0;
    const members = new Set(["a", "c"]);
    const ctx = { isMember: (s: string) => members.has(s) };
    for (let k = 0; k < 1500; k++) {
      const ast = randomAst(r, 3, ["a", "b", "c"]);
      const c = compile(ast);
      for (let j = 0; j < 4; j++) {
        const p = randomProfile(r);
        const now = NOW + Math.round((r.next() - 0.5) * 4 * DAY);
        const expected = evaluateNaive(ast, p, now, ctx);
        const got = c.test(p, now, ctx);
        if (got !== expected) expect({ ast, p, now, got }).toEqual({ ast, p, now, got: expected });
        if (expected) trues++;
      }
    }
    // Both outcomes must be common or the comparison proves little.
    expect(trues).toBeGreaterThan(1000);
    expect(trues).toBeLessThan(5000);
  });

  it("every leaf kind agrees on its own, including with shared (memoised) leaves", () => {
    const r = new Rand(prng(99));
    for (let k = 0; k < 300; k++) {
      // The same leaves repeated across segments exercise the memo path of compileAll.
      const pool: SegmentAst[] = Array.from({ length: 6 }, () => randomAst(r, 1));
      const segs = Array.from({ length: 12 }, (_, i) => ({
        slug: `s${i}`,
        ast: { op: r.chance(0.5) ? "and" : "or", args: [r.pick(pool), r.pick(pool), r.pick(pool)] } as SegmentAst,
      }));
      const set = compileAll(segs);
      for (let j = 0; j < 5; j++) {
        const p = randomProfile(r);
        expect(set.evaluate(p, NOW)).toEqual(evaluateAllNaive(segs, p, NOW));
      }
    }
  });

  it("compileAll(...).evaluate == evaluateAllNaive with random INCLUDE DAGs", () => {
    const r = new Rand(prng(7));
    for (let k = 0; k < 40; k++) {
      const n = 30;
      const slugs = Array.from({ length: n }, (_, i) => `seg_${i}`);
      // Segment i may include only segments declared after it (or unknown ones): acyclic, not in order.
      const segs = slugs.map((slug, i) => ({ slug, ast: randomAst(r, 3, [...slugs.slice(i + 1), "unknown_slug"]) }));
      const shuffled = [...segs].sort(() => r.next() - 0.5);
      const set = compileAll(shuffled);
      for (let j = 0; j < 25; j++) {
        const p = randomProfile(r);
        const now = NOW + r.int(3 * DAY);
        expect(set.evaluate(p, now)).toEqual(evaluateAllNaive(shuffled, p, now));
      }
    }
  });
});
