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

describe("AudienceSet.update equals compiling the resulting list (seeded random corpus)", () => {
  it("adds, replaces and removes audiences; evaluate == evaluateAllNaive and nextBoundary == compileAll's", {
    timeout: 20_000,
  }, () => {
    const r = new Rand(prng(2026));
    let matches = 0;
    for (let round = 0; round < 30; round++) {
      // Shared leaves (a small pool) and INCLUDEs of earlier audiences, as in real catalogs.
      const pool: SegmentAst[] = Array.from({ length: 8 }, () => randomAst(r, 1));
      let next = 0;
      const make = (known: readonly string[]): { slug: string; ast: SegmentAst } => {
        const slug = `seg_${next++}`;
        const ast: SegmentAst = r.chance(0.5)
          ? randomAst(r, 3, [...known, "unknown_slug"])
          : { op: r.chance(0.5) ? "and" : "or", args: [r.pick(pool), r.pick(pool), randomAst(r, 2, [...known])] };
        return { slug, ast };
      };
      let list: { slug: string; ast: SegmentAst }[] = [];
      for (let k = 0; k < 20; k++) list.push(make(list.map((s) => s.slug)));
      let set = compileAll(list);
      for (let step = 0; step < 12; step++) {
        const put: { slug: string; ast: SegmentAst }[] = [];
        const remove: string[] = [];
        const choice = r.int(3);
        if (choice === 0 || list.length < 5) put.push(make(list.map((s) => s.slug)));
        else if (choice === 1) {
          // Replace one audience by a definition that INCLUDEs only audiences before it (no cycle).
          const at = r.int(list.length);
          const target = list[at] as { slug: string; ast: SegmentAst };
          put.push({
            slug: target.slug,
            ast: randomAst(
              r,
              3,
              list.slice(0, at).map((s) => s.slug),
            ),
          });
        } else {
          // Remove one that no one INCLUDEs (the API refuses the others).
          const free = list.filter((s) => !list.some((o) => JSON.stringify(o.ast).includes(`"ident":"${s.slug}"`)));
          if (free.length > 0) remove.push(r.pick(free).slug);
        }
        set = set.update({ put, remove });
        const replaced = new Map(put.map((p) => [p.slug, p]));
        list = list.filter((s) => !remove.includes(s.slug)).map((s) => replaced.get(s.slug) ?? s);
        for (const p of put) if (!list.some((s) => s.slug === p.slug)) list.push(p);
        expect(set.slugs).toEqual(list.map((s) => s.slug));
        const fresh = compileAll(list);
        for (let j = 0; j < 6; j++) {
          const p = randomProfile(r);
          const now = NOW + r.int(3 * DAY);
          const got = set.evaluate(p, now);
          expect(got).toEqual(evaluateAllNaive(list, p, now));
          const boundary = fresh.nextBoundary(p, now);
          expect(set.nextBoundary(p, now)).toEqual(boundary);
          // One evaluation for both answers the same as each alone.
          expect(set.evaluateWithBoundary(p, now)).toEqual({ members: got, boundary });
          matches += got.length;
        }
      }
    }
    // Audiences match often enough for the comparison to prove something.
    expect(matches).toBeGreaterThan(1000);
  });

  it("update refuses an INCLUDE cycle and leaves the set it was called on usable", () => {
    const set = compileAll([
      { slug: "a", ast: { op: ">", args: [{ ident: "n" }, { val: 1 }] } },
      { slug: "b", ast: { op: "include", args: [{ ident: "a" }] } },
    ]);
    expect(() => set.update({ put: [{ slug: "a", ast: { op: "include", args: [{ ident: "b" }] } }] })).toThrow(
      /INCLUDE cycle/,
    );
    expect(set.evaluate({ n: 2 }, NOW)).toEqual(["a", "b"]);
  });
});
