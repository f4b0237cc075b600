import { describe, expect, it } from "vitest";
import {
  compile,
  compileAll,
  evaluateNaive,
  parse,
  type Profile,
  type SegmentAst,
} from "../../../../edge/segmentql/index";
import { NOW, Rand, prng, randomAst, randomProfile } from "../gen";

const H = 3_600_000;
const D = 24 * H;
const T = Date.UTC(2024, 4, 20, 8, 30, 15, 250); // last_visit

const c = (text: string) => compile(parse(`FILTER ${text}`).ast);

/** nextBoundary(now) = b, and the answer flips exactly between b-1 and b. */
function expectFlip(text: string, profile: Profile, now: number, b: number): void {
  const seg = c(text);
  expect(seg.nextBoundary(profile, now)).toBe(b);
  expect(seg.test(profile, b - 1)).toBe(seg.test(profile, now));
  expect(seg.test(profile, b)).toBe(!seg.test(profile, now));
}

describe("nextBoundary of one segment", () => {
  it('last_visit > "now-7d" with last_visit T leaves at exactly T+7d (ISO or epoch ms)', () => {
    for (const lv of [new Date(T).toISOString(), T, String(T)]) {
      expectFlip('last_visit > "now-7d"', { last_visit: lv }, T + H, T + 7 * D);
    }
  });

  it("each ordering operator flips at its own millisecond", () => {
    const p = { last_visit: T };
    expectFlip('last_visit >= "now-7d"', p, T + H, T + 7 * D + 1);
    expectFlip('last_visit < "now-7d"', p, T + H, T + 7 * D + 1);
    expectFlip('last_visit <= "now-7d"', p, T + H, T + 7 * D);
    expectFlip('last_visit > "now"', p, T - 5, T);
    expectFlip('last_visit < "now+2h"', p, T - 3 * H, T - 2 * H + 1);
  });

  it("BETWEEN enters at the upper bound and leaves at the lower bound", () => {
    const text = 'last_visit BETWEEN "now-7d" AND "now-1d"';
    const p = { last_visit: T };
    expectFlip(text, p, T, T + D);
    expectFlip(text, p, T + D, T + 7 * D + 1);
    expect(c(text).nextBoundary(p, T + 7 * D + 1)).toBeNull();
  });

  it("returns null once past the last boundary, without relative times, or without the field", () => {
    expect(c('last_visit > "now-7d"').nextBoundary({ last_visit: T }, T + 7 * D)).toBeNull();
    expect(c('last_visit > "2024-01-01"').nextBoundary({ last_visit: T }, T)).toBeNull();
    expect(c('last_visit > "now-7d"').nextBoundary({}, T)).toBeNull();
    expect(c('last_visit > "now-7d"').nextBoundary({ last_visit: "not a date" }, T)).toBeNull();
    expect(c('last_visit = "now-7d"').nextBoundary({ last_visit: T }, T)).toBeNull();
  });

  it("takes the earliest element of an array and the earliest condition", () => {
    expect(c('visits > "now-1d"').nextBoundary({ visits: [T - H, T, T - 2 * H, "junk"] }, T)).toBe(T + D - 2 * H);
    expect(c('OR ( a > "now-1d", b > "now-2h" )').nextBoundary({ a: T, b: T }, T)).toBe(T + 2 * H);
  });

  it("ignores conditions that a time-independent sibling already decides", () => {
    const and = 'AND ( country = "US", last_visit > "now-7d" )';
    expect(c(and).nextBoundary({ country: "FR", last_visit: T }, T)).toBeNull();
    expect(c(and).nextBoundary({ country: "US", last_visit: T }, T)).toBe(T + 7 * D);
    const or = 'OR ( vip = true, last_visit > "now-7d" )';
    expect(c(or).nextBoundary({ vip: true, last_visit: T }, T)).toBeNull();
    expect(c(or).nextBoundary({ vip: false, last_visit: T }, T)).toBe(T + 7 * D);
    expect(c(`NOT ${and}`).nextBoundary({ country: "US", last_visit: T }, T)).toBe(T + 7 * D);
  });

  it("rounds fractional epoch ms to the first integer millisecond where the answer changes", () => {
    expectFlip('t > "now"', { t: 1000.5 }, 990, 1001);
    expectFlip('t >= "now"', { t: 1000.5 }, 990, 1001);
    expectFlip('t < "now"', { t: 1000.5 }, 990, 1001);
    expectFlip('t <= "now"', { t: 1000.5 }, 990, 1001);
  });
});

describe("AudienceSet.nextBoundary", () => {
  it("is the earliest boundary over all segments, with INCLUDEs resolved", () => {
    const set = compileAll([
      { slug: "recent", ast: parse('FILTER last_visit > "now-7d"').ast },
      { slug: "recent_us", ast: parse('FILTER AND ( INCLUDE recent, country = "US" )').ast },
      { slug: "new", ast: parse('FILTER AND ( country = "FR", first_visit > "now-1d" )').ast },
    ]);
    const p = { last_visit: T, first_visit: T, country: "US" };
    expect(set.evaluate(p, T + H)).toEqual(["recent", "recent_us"]);
    expect(set.nextBoundary(p, T + H)).toBe(T + 7 * D); // "new" is pruned: country is not FR
    expect(set.evaluate(p, T + 7 * D - 1)).toEqual(["recent", "recent_us"]);
    expect(set.evaluate(p, T + 7 * D)).toEqual([]);
    expect(set.nextBoundary(p, T + 7 * D)).toBeNull();
    const fr = { ...p, country: "FR" };
    expect(set.nextBoundary(fr, T + H)).toBe(T + D);
  });

  it("returns null for sets without relative times", () => {
    const set = compileAll([{ slug: "a", ast: parse("FILTER x > 1").ast }]);
    expect(set.nextBoundary({ x: 5 }, NOW)).toBeNull();
  });
});

describe("nextBoundary property: the answer is constant until the boundary (seeded)", () => {
  it("holds for 1,500 random (audience, profile) pairs", () => {
    const r = new Rand(prng(1234));
    let withBoundary = 0;
    for (let k = 0; k < 1500; k++) {
      const rel = r.pick(["now", "now-1d", "now+2h", "now-3d", "now-90m"]);
      const timeLeaf: SegmentAst = r.chance(0.5)
        ? { op: r.pick([">", ">=", "<", "<="] as const), args: [{ ident: "ts" }, { val: rel }] }
        : { op: "between", args: [{ ident: "ts" }, { val: rel }, { val: r.pick(["now", "now+1d", "2024-06-02"]) }] };
      const ast: SegmentAst = r.chance(0.7)
        ? { op: r.pick(["and", "or"] as const), args: [randomAst(r, 2), timeLeaf] }
        : randomAst(r, 3);
      const seg = compile(ast);
      const p = randomProfile(r);
      if (r.chance(0.7))
        p["ts"] = r.chance(0.5)
          ? NOW + Math.round((r.next() - 0.5) * 6 * D)
          : [NOW - r.int(4 * D), new Date(NOW + r.int(D)).toISOString()];
      const now = NOW + r.int(2 * D);
      const b = seg.nextBoundary(p, now);
      const at = seg.test(p, now);
      expect(at).toBe(evaluateNaive(ast, p, now));
      if (b === null) {
        for (const dt of [1, H, D, 30 * D, 400 * D]) expect(seg.test(p, now + dt)).toBe(at);
        continue;
      }
      withBoundary++;
      expect(b).toBeGreaterThan(now);
      expect(Number.isInteger(b)).toBe(true);
      for (let j = 0; j < 5; j++) {
        const t = now + Math.floor(r.next() * (b - now));
        expect(seg.test(p, t)).toBe(at);
      }
      expect(seg.test(p, b - 1)).toBe(at);
      // Once past b, the next boundary (if any) is strictly later.
      const again = seg.nextBoundary(p, b);
      if (again !== null) expect(again).toBeGreaterThan(b);
    }
    expect(withBoundary).toBeGreaterThan(250);
  });
});
