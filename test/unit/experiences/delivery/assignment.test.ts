import { describe, expect, it } from "vitest";
import { armOf, assignVariation, bucketOf, hash32 } from "../../../../edge/experiences/delivery/assignment";

/** The loader's copy of the hash, as documented in assignment.ts (the browser runs exactly this). */
function browserBucket(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % 10000;
}

/** Deterministic PRNG (mulberry32) for uid-like ids. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const uids = (n: number, seed: number) => {
  const r = rng(seed);
  return Array.from({ length: n }, () => `${Math.floor(r() * 1e10)}.${Math.floor(r() * 1e10)}`);
};

const experience = {
  id: "2d3e345b2ac24acd9d6d3d33f93516fd",
  variations: [
    { id: "a", share: 45 },
    { id: "b", share: 45 },
  ],
  control_share: 10,
};

function counts(ids: string[], exp = experience) {
  const c: Record<string, number> = {};
  for (const id of ids) {
    const v = assignVariation(exp, id)!;
    c[v] = (c[v] ?? 0) + 1;
  }
  return c;
}

/** Within 4 standard deviations of n·p (binomial): fails for a biased split, never by chance in practice. */
function expectNear(count: number, n: number, p: number) {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p)).toBeLessThan(4 * sd);
}

describe("variation assignment", () => {
  it("matches known values of FNV-1a + fmix32 (the browser must produce the same)", () => {
    // FNV-1a of "a" and "foobar" are 0xe40c292c and 0xbf9cf968 (the published test vectors); then fmix32.
    expect(hash32("")).toBe(2872998923);
    expect(hash32("a")).toBe(444641715);
    expect(hash32("foobar")).toBe(202221276);
    expect(bucketOf("2d3e345b2ac24acd9d6d3d33f93516fd", "1234.5678")).toBe(3479571452 % 10000);
    for (const s of ["", "a", "exp:uid", "2d3e345b2ac24acd9d6d3d33f93516fd:1234.5678", "é☃𝄞"])
      expect(bucketOf("x", s)).toBe(browserBucket("x:" + s));
    expect(new Set(["u1", "u2", "u3", "u4"].map((u) => bucketOf("e", u))).size).toBe(4);
  });

  it("splits 10,000 visitors 45/45/10 within statistical tolerance (random uids and sequential ids)", () => {
    for (const ids of [uids(10_000, 42), Array.from({ length: 10_000 }, (_, i) => `user-${i}`)]) {
      const c = counts(ids);
      expect(Object.keys(c).sort()).toEqual(["a", "b", "control"]);
      expectNear(c.a!, 10_000, 0.45);
      expectNear(c.b!, 10_000, 0.45);
      expectNear(c.control!, 10_000, 0.1);
    }
  });

  it("honours an uneven split without a control group", () => {
    const exp = {
      id: "e1",
      variations: [
        { id: "a", share: 80 },
        { id: "b", share: 20 },
      ],
      control_share: 0,
    };
    const c = counts(uids(10_000, 7), exp);
    expectNear(c.a!, 10_000, 0.8);
    expectNear(c.b!, 10_000, 0.2);
    expect(c.control).toBeUndefined();
  });

  it("is stable: the same visitor gets the same variation every time, and experiences split independently", () => {
    const ids = uids(1000, 3);
    const first = ids.map((id) => assignVariation(experience, id));
    expect(ids.map((id) => assignVariation(experience, id))).toEqual(first);
    const other = ids.map((id) => assignVariation({ ...experience, id: "ffffffffffffffffffffffffffffffff" }, id));
    const same = other.filter((v, i) => v === first[i]).length;
    // Independent 45/45/10 splits agree for about 0.45²+0.45²+0.1² = 41.5% of visitors.
    expectNear(same, 1000, 0.415);
  });

  it("keeps a decided variation when the split changes, and re-decides when it was removed", () => {
    const changed = {
      ...experience,
      variations: [
        { id: "a", share: 10 },
        { id: "b", share: 90 },
      ],
      control_share: 0,
    };
    expect(assignVariation(changed, "u", "a")).toBe("a");
    expect(assignVariation(changed, "u", "control")).toMatch(/^[ab]$/);
    expect(assignVariation({ ...changed, variations: [{ id: "b", share: 100 }] }, "u", "a")).toBe("b");
  });

  it("lays arms out in order and gives buckets past the total to the last arm", () => {
    const arms = [
      { id: "a", weight: 2500 },
      { id: "z", weight: 0 },
      { id: "b", weight: 2500 },
    ];
    expect(armOf(arms, 0)).toBe("a");
    expect(armOf(arms, 2499)).toBe("a");
    expect(armOf(arms, 2500)).toBe("b");
    expect(armOf(arms, 9999)).toBe("b");
    expect(armOf([{ id: "a", weight: 0 }], 5)).toBeUndefined();
  });
});
