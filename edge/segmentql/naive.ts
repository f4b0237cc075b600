/**
 * The reference evaluator: a straightforward recursive walk of the AST that
 * works everything out on every call (field paths, literal kinds, relative
 * times, lower-casing, LIKE matching). It defines the semantics the
 * compiler must reproduce and is the baseline of the benchmark.
 */
import type { AstLiteral, SegmentAst } from "./syntax/ast";
import {
  isNonEmpty,
  isNumericString,
  lookupField,
  toBool,
  toNumber,
  toTime,
  type EvalContext,
  type Profile,
  type ProfileMap,
  type ProfileValue,
} from "./values/coerce";
import { SegmentQLError } from "./errors";
import { globMatchNaive } from "./values/glob";
import { parseIsoTime, parseRelativeTime } from "./values/time";

type Scalar = string | number | boolean;

function isAbsent(v: ProfileValue | undefined): v is null | undefined {
  return v === undefined || v === null;
}

function anyOf(v: ProfileValue, f: (e: ProfileValue) => boolean): boolean {
  return Array.isArray(v) ? v.some(f) : f(v);
}

/** Equality of one scalar profile value with a non-null literal (see index.ts). */
export function eqScalar(e: ProfileValue, lit: Scalar, ignoreCase = false): boolean {
  if (typeof lit === "number") {
    if (typeof e === "number") return e === lit;
    if (typeof e === "string") return toNumber(e) === lit;
    return false;
  }
  if (typeof lit === "string") {
    if (typeof e === "string") return ignoreCase ? e.toLowerCase() === lit.toLowerCase() : e === lit;
    if (typeof e === "number") return isNumericString(lit) && Number(lit) === e;
    if (typeof e === "boolean") return toBool(lit) === e;
    return false;
  }
  if (typeof e === "boolean") return e === lit;
  if (typeof e === "string") return toBool(e) === lit;
  return false;
}

type Operand = { kind: "num"; n: number } | { kind: "time"; t: number } | { kind: "str"; s: string } | { kind: "none" };

/** What an ordering comparison compares against: a number, a time, a string, or nothing. */
function classify(lit: AstLiteral, now: number): Operand {
  if (typeof lit === "number") return { kind: "num", n: lit };
  if (typeof lit !== "string") return { kind: "none" };
  if (isNumericString(lit)) return { kind: "num", n: Number(lit) };
  const rel = parseRelativeTime(lit);
  if (rel !== undefined) return { kind: "time", t: now + rel };
  const iso = parseIsoTime(lit);
  if (!Number.isNaN(iso)) return { kind: "time", t: iso };
  return { kind: "str", s: lit };
}

function order(e: ProfileValue, op: string, c: Operand): boolean {
  let a: number | string;
  let b: number | string;
  if (c.kind === "num") {
    a = toNumber(e);
    b = c.n;
  } else if (c.kind === "time") {
    a = toTime(e);
    b = c.t;
  } else if (c.kind === "str") {
    if (typeof e !== "string") return false;
    a = e;
    b = c.s;
  } else {
    return false;
  }
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    default:
      return a <= b;
  }
}

function getField(profile: Profile, name: string): ProfileValue | undefined {
  return lookupField(profile, name, name.split("."));
}

/**
 * Evaluates a segment AST against a profile at time `now` (epoch ms) by
 * walking the tree. INCLUDE asks `ctx.isMember`; without `ctx` it is false.
 */
export function evaluateNaive(ast: SegmentAst, profile: Profile, now: number, ctx?: EvalContext): boolean {
  switch (ast.op) {
    case "and":
      for (const a of ast.args) if (!evaluateNaive(a, profile, now, ctx)) return false;
      return true;
    case "or":
      for (const a of ast.args) if (evaluateNaive(a, profile, now, ctx)) return true;
      return false;
    case "not":
      return !evaluateNaive(ast.args[0], profile, now, ctx);
    case "include":
      return ctx !== undefined && ctx.isMember(ast.args[0].ident);
    case "exists":
      return isNonEmpty(getField(profile, ast.args[0].ident));
    case "=":
    case "!=": {
      const v = getField(profile, ast.args[0].ident);
      const lit = ast.args[1].val;
      const eq = lit === null ? isAbsent(v) : !isAbsent(v) && anyOf(v, (e) => eqScalar(e, lit));
      return ast.op === "=" ? eq : !isAbsent(v) && !eq;
    }
    case "in":
    case "intersects": {
      const v = getField(profile, ast.args[0].ident);
      const vals = ast.args[1].args.map((a) => a.val);
      if (isAbsent(v)) return vals.includes(null);
      return anyOf(v, (e) => vals.some((l) => l !== null && eqScalar(e, l)));
    }
    case "contains": {
      const v = getField(profile, ast.args[0].ident);
      const lit = ast.args[1].val;
      if (isAbsent(v) || lit === null) return false;
      const needle = String(lit).toLowerCase();
      if (typeof v === "string") return v.toLowerCase().includes(needle);
      if (typeof v === "number") return String(v).toLowerCase().includes(needle);
      if (typeof v === "boolean") return false;
      if (Array.isArray(v)) return v.some((e) => eqScalar(e, lit, true));
      return Object.keys(v as ProfileMap).some((k) => k.toLowerCase() === needle);
    }
    case "like": {
      const v = getField(profile, ast.args[0].ident);
      const lit = ast.args[1].val;
      if (isAbsent(v) || lit === null) return false;
      const pattern = String(lit).toLowerCase();
      return anyOf(v, (e) =>
        typeof e === "string" || typeof e === "number" ? globMatchNaive(pattern, String(e).toLowerCase()) : false,
      );
    }
    case "between": {
      const v = getField(profile, ast.args[0].ident);
      if (isAbsent(v)) return false;
      const lo = classify(ast.args[1].val, now);
      const hi = classify(ast.args[2].val, now);
      return anyOf(v, (e) => order(e, ">=", lo) && order(e, "<=", hi));
    }
    default: {
      const v = getField(profile, ast.args[0].ident);
      if (isAbsent(v)) return false;
      const c = classify(ast.args[1].val, now);
      return anyOf(v, (e) => order(e, ast.op, c));
    }
  }
}

/**
 * Naive evaluation of a whole set of segments: each segment is walked with
 * evaluateNaive and INCLUDE evaluates the included segment on demand
 * (memoised per call). Returns the matching slugs in input order. Throws
 * SegmentQLError on an INCLUDE cycle. The benchmark baseline for compileAll.
 */
export function evaluateAllNaive(
  segments: { slug: string; ast: SegmentAst }[],
  profile: Profile,
  now: number,
): string[] {
  const bySlug = new Map<string, SegmentAst>();
  for (const s of segments) bySlug.set(s.slug, s.ast);
  const memo = new Map<string, boolean>();
  const active = new Set<string>();
  const ctx: EvalContext = {
    isMember(slug: string): boolean {
      const known = memo.get(slug);
      if (known !== undefined) return known;
      const ast = bySlug.get(slug);
      if (ast === undefined) return false;
      if (active.has(slug)) throw new SegmentQLError(`INCLUDE cycle through ${JSON.stringify(slug)}`);
      active.add(slug);
      const r = evaluateNaive(ast, profile, now, ctx);
      active.delete(slug);
      memo.set(slug, r);
      return r;
    },
  };
  return segments.filter((s) => ctx.isMember(s.slug)).map((s) => s.slug);
}
