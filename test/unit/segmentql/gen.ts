/**
 * Seeded random generators for the SegmentQL tests: ASTs that exercise
 * every operator and literal kind, and profiles whose values collide with
 * those literals often enough to make both outcomes of each test common.
 */
import type { AstLiteral, SegmentAst, ValueNode } from "../../../edge/segmentql/syntax/ast";
import type { Profile, ProfileValue } from "../../../edge/segmentql/index";

/** mulberry32: small, fast, seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random helpers over one PRNG. */
export class Rand {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A fixed "now" for the corpus: 2024-06-01T12:00:00Z. */
export const NOW = Date.UTC(2024, 5, 1, 12);
const DAY = 86_400_000;

export const FIELDS = ["n", "s", "t", "tags", "flag", "m.k", "m.j", "ts", "x", "empty", "odd field", "nested.a.b"];
const STRINGS = ["abc", "ABC", "Abc", "a*c", "x", "", "42", "4.2e1", "true", "F", "hello world", "b", "US", "us"];
const NUMBERS = [0, 1, 42, -3, 2.5, 1e3, 100];
const TIMES = [
  "now",
  "now-1d",
  "now+2h",
  "now-7d",
  "now-30m",
  "now-1w+3d",
  "2024-06-01",
  "2024-05-31T12:00:00Z",
  "2024-06-01T12:00:00.500+02:00",
];
const PATTERNS = ["*", "a*", "*c", "a*c", "*b*", "ab?", "*l*o*", "hello*", "4*", "x", "**", "*US"];

function literal(r: Rand): AstLiteral {
  switch (r.int(6)) {
    case 0:
      return r.pick(NUMBERS);
    case 1:
    case 2:
      return r.pick(STRINGS);
    case 3:
      return r.pick(TIMES);
    case 4:
      return r.chance(0.5);
    default:
      return r.chance(0.3) ? null : r.pick(STRINGS);
  }
}

function orderLiteral(r: Rand): AstLiteral {
  switch (r.int(4)) {
    case 0:
      return r.pick(NUMBERS);
    case 1:
      return r.pick(TIMES);
    case 2:
      return r.pick(["42", "b", "abc", "10"]);
    default:
      return literal(r);
  }
}

const v = (val: AstLiteral): ValueNode => ({ val });

/** A random leaf condition, optionally INCLUDE of one of `slugs`. */
export function randomLeaf(r: Rand, slugs: readonly string[] = []): SegmentAst {
  const f = { ident: r.pick(FIELDS) };
  const k = r.int(slugs.length > 0 ? 12 : 11);
  switch (k) {
    case 0:
      return { op: r.pick(["=", "!="] as const), args: [f, v(literal(r))] };
    case 1:
    case 2:
      return { op: r.pick([">", ">=", "<", "<="] as const), args: [f, v(orderLiteral(r))] };
    case 3:
      return {
        op: r.pick(["in", "intersects"] as const),
        args: [f, { args: Array.from({ length: r.int(4) }, () => v(literal(r))) }],
      };
    case 4:
      return { op: "contains", args: [f, v(r.chance(0.8) ? r.pick(STRINGS) : literal(r))] };
    case 5:
      return { op: "like", args: [f, v(r.chance(0.8) ? r.pick(PATTERNS) : literal(r))] };
    case 6:
      return { op: "between", args: [f, v(orderLiteral(r)), v(orderLiteral(r))] };
    case 7:
      return { op: "exists", args: [f] };
    case 8:
      return { op: "=", args: [f, v(literal(r))] };
    case 9:
      return { op: r.pick([">", "<="] as const), args: [{ ident: r.pick(["ts", "t", "tags"]) }, v(r.pick(TIMES))] };
    case 10:
      return { op: "between", args: [{ ident: r.pick(["ts", "t"]) }, v(r.pick(TIMES)), v(r.pick(TIMES))] };
    default:
      return { op: "include", args: [{ ident: r.pick(slugs) }] };
  }
}

/** A random AST of bounded depth. */
export function randomAst(r: Rand, depth = 3, slugs: readonly string[] = []): SegmentAst {
  if (depth <= 0 || r.chance(0.35)) return randomLeaf(r, slugs);
  const k = r.int(5);
  if (k === 0) return { op: "not", args: [randomAst(r, depth - 1, slugs)] };
  const n = 1 + r.int(4);
  return { op: k < 3 ? "and" : "or", args: Array.from({ length: n }, () => randomAst(r, depth - 1, slugs)) };
}

function timeValue(r: Rand, now: number): ProfileValue {
  const t = now + Math.round((r.next() - 0.6) * 10 * DAY);
  switch (r.int(3)) {
    case 0:
      return t;
    case 1:
      return new Date(t).toISOString();
    default:
      return String(t);
  }
}

function scalar(r: Rand, now: number): ProfileValue {
  switch (r.int(6)) {
    case 0:
      return r.pick(NUMBERS);
    case 1:
    case 2:
      return r.pick(STRINGS);
    case 3:
      return r.chance(0.5);
    case 4:
      return timeValue(r, now);
    default:
      return r.pick(["hello", "Hello World", "abc", "zzz", "a-b-c", "12", "t", "FALSE"]);
  }
}

function value(r: Rand, now: number, depth = 1): ProfileValue {
  switch (r.int(8)) {
    case 0:
      return null;
    case 1:
      return Array.from({ length: r.int(4) }, () => scalar(r, now));
    case 2:
      return depth > 0 ? { k: value(r, now, depth - 1), j: scalar(r, now), K: 1 } : {};
    default:
      return scalar(r, now);
  }
}

/** A random profile over FIELDS (each field sometimes missing). */
export function randomProfile(r: Rand, now = NOW): Profile {
  const p: Profile = {};
  for (const f of ["n", "s", "t", "tags", "flag", "ts", "x", "empty", "odd field"]) {
    if (r.chance(0.8)) p[f] = value(r, now);
  }
  if (r.chance(0.3)) p["ts"] = timeValue(r, now);
  if (r.chance(0.6)) p["m"] = { k: scalar(r, now), j: value(r, now, 0) };
  if (r.chance(0.3)) p["empty"] = r.pick(["", [], {}, 0, false] as ProfileValue[]);
  if (r.chance(0.3)) p["nested"] = { a: { b: scalar(r, now) } };
  if (r.chance(0.1)) p["m.k"] = scalar(r, now);
  return p;
}
