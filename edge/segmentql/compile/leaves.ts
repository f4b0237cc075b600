/**
 * Compilation of leaf conditions (comparisons, IN, LIKE, ...) into
 * closures over precomputed operands: numbers and times parsed once,
 * strings lower-cased once, LIKE patterns compiled, IN lists turned into
 * Sets, relative times reduced to an offset added to `now`. Semantics are
 * exactly those of `naive.ts` (checked by the differential tests).
 */
import type { AstLiteral, LeafNode } from "../syntax/ast";
import {
  isNonEmpty,
  isNumericString,
  toBool,
  toNumber,
  toTime,
  type ProfileMap,
  type ProfileValue,
} from "../values/coerce";
import { compileGlob } from "../values/glob";
import { field, lowerOf, numOf, timeOf, type State } from "./state";
import { parseIsoTime, parseRelativeTime, relativeBoundary } from "../values/time";

/** A compiled condition. */
export type Fn = (s: State) => boolean;
/** Earliest relevant future boundary (epoch ms) of a condition, or Infinity. */
export type BoundFn = (s: State) => number;

/** A compiled leaf: its test and, when it involves relative times, its boundary function. */
export interface CompiledLeaf {
  fn: Fn;
  bound?: BoundFn;
}

type Scalar = string | number | boolean;
type ScalarTest = (e: ProfileValue) => boolean;

const FALSE: Fn = () => false;

function someOf(arr: ProfileValue[], t: ScalarTest): boolean {
  for (let k = 0; k < arr.length; k++) if (t(arr[k] as ProfileValue)) return true;
  return false;
}

/** Equality of a scalar element with a non-null literal (naive `eqScalar`). */
function eqTest(lit: Scalar, ignoreCase: boolean): ScalarTest {
  if (typeof lit === "number") {
    return (e) => (typeof e === "number" ? e === lit : typeof e === "string" ? toNumber(e) === lit : false);
  }
  if (typeof lit === "string") {
    const n = isNumericString(lit) ? Number(lit) : NaN;
    const b = toBool(lit);
    if (ignoreCase) {
      const low = lit.toLowerCase();
      return (e) =>
        typeof e === "string"
          ? e === lit || e.toLowerCase() === low
          : typeof e === "number"
            ? e === n
            : typeof e === "boolean"
              ? e === b
              : false;
    }
    return (e) =>
      typeof e === "string" ? e === lit : typeof e === "number" ? e === n : typeof e === "boolean" ? e === b : false;
  }
  return (e) => (typeof e === "boolean" ? e === lit : typeof e === "string" ? toBool(e) === lit : false);
}

function equality(i: number, lit: AstLiteral, negate: boolean): Fn {
  if (lit === null) {
    return negate ? (s) => field(s, i) != null : (s) => field(s, i) == null;
  }
  const t = eqTest(lit, false);
  let eq: Fn;
  if (typeof lit === "number") {
    // Scalar strings go through the per-evaluation numeric cache of the slot.
    eq = (s) => {
      const v = field(s, i);
      if (v == null) return false;
      if (typeof v === "number") return v === lit;
      if (typeof v === "string") return numOf(s, i, v) === lit;
      return Array.isArray(v) ? someOf(v, t) : false;
    };
  } else {
    eq = (s) => {
      const v = field(s, i);
      if (v == null) return false;
      if (typeof v === "object") return Array.isArray(v) ? someOf(v, t) : false;
      return t(v);
    };
  }
  if (!negate) return eq;
  return (s) => field(s, i) != null && !eq(s);
}

function membership(i: number, lits: AstLiteral[]): Fn {
  const strs = new Set<string>();
  const nums = new Set<number>();
  const strNums = new Set<number>();
  const bools = new Set<boolean>();
  const strBools = new Set<boolean>();
  let hasNull = false;
  for (const l of lits) {
    if (l === null) hasNull = true;
    else if (typeof l === "number") nums.add(l);
    else if (typeof l === "boolean") bools.add(l);
    else {
      strs.add(l);
      if (isNumericString(l)) strNums.add(Number(l));
      const b = toBool(l);
      if (b !== undefined) strBools.add(b);
    }
  }
  const anyNums = nums.size > 0;
  const anyBools = bools.size > 0;
  const t: ScalarTest = (e) => {
    if (typeof e === "string")
      return strs.has(e) || (anyNums && nums.has(toNumber(e))) || (anyBools && bools.has(toBool(e) as boolean));
    if (typeof e === "number") return nums.has(e) || strNums.has(e);
    if (typeof e === "boolean") return bools.has(e) || strBools.has(e);
    return false;
  };
  return (s) => {
    const v = field(s, i);
    if (v == null) return hasNull;
    if (typeof v === "object") return Array.isArray(v) ? someOf(v, t) : false;
    return t(v);
  };
}

function contains(i: number, lit: AstLiteral): Fn {
  if (lit === null) return FALSE;
  const needle = String(lit).toLowerCase();
  const t = eqTest(lit, true);
  return (s) => {
    const v = field(s, i);
    if (v == null || typeof v === "boolean") return false;
    if (typeof v === "object") {
      if (Array.isArray(v)) return someOf(v, t);
      for (const k of Object.keys(v as ProfileMap)) if (k.toLowerCase() === needle) return true;
      return false;
    }
    return lowerOf(s, i, v).includes(needle);
  };
}

function like(i: number, lit: AstLiteral): Fn {
  if (lit === null) return FALSE;
  const g = compileGlob(String(lit).toLowerCase());
  const t: ScalarTest = (e) => (typeof e === "string" || typeof e === "number" ? g(String(e).toLowerCase()) : false);
  return (s) => {
    const v = field(s, i);
    if (v == null || typeof v === "boolean") return false;
    if (typeof v === "object") return Array.isArray(v) ? someOf(v, t) : false;
    return g(lowerOf(s, i, v));
  };
}

/** The right operand of an ordering comparison, classified once at compile time. */
interface Operand {
  kind: "num" | "time" | "str" | "none";
  /** number, absolute time, or relative offset */
  c: number;
  rel: boolean;
  str: string;
}

function classify(lit: AstLiteral): Operand {
  if (typeof lit === "number") return { kind: "num", c: lit, rel: false, str: "" };
  if (typeof lit !== "string") return { kind: "none", c: 0, rel: false, str: "" };
  if (isNumericString(lit)) return { kind: "num", c: Number(lit), rel: false, str: "" };
  const off = parseRelativeTime(lit);
  if (off !== undefined) return { kind: "time", c: off, rel: true, str: "" };
  const t = parseIsoTime(lit);
  if (!Number.isNaN(t)) return { kind: "time", c: t, rel: false, str: "" };
  return { kind: "str", c: 0, rel: false, str: lit };
}

function cmp(op: string, a: number | string, b: number | string): boolean {
  return op === ">" ? a > b : op === ">=" ? a >= b : op === "<" ? a < b : a <= b;
}

/** Generic ordering test of one element (arrays, BETWEEN). */
function orderElem(s: State, e: ProfileValue, op: string, o: Operand): boolean {
  switch (o.kind) {
    case "num":
      return cmp(op, toNumber(e), o.c);
    case "time":
      return cmp(op, toTime(e), o.rel ? s.now + o.c : o.c);
    case "str":
      return typeof e === "string" && cmp(op, e, o.str);
    default:
      return false;
  }
}

/** Ordering test of slot `i`'s scalar value `v`, through the slot caches. */
function orderScalar(s: State, i: number, v: ProfileValue, op: string, o: Operand): boolean {
  switch (o.kind) {
    case "num":
      return cmp(op, typeof v === "string" ? numOf(s, i, v) : toNumber(v), o.c);
    case "time":
      return cmp(op, typeof v === "string" ? timeOf(s, i, v) : toTime(v), o.rel ? s.now + o.c : o.c);
    case "str":
      return typeof v === "string" && cmp(op, v, o.str);
    default:
      return false;
  }
}

/** Specialised closures for the common single comparison against a number or a time. */
function ordering(i: number, op: string, o: Operand): Fn {
  if (o.kind === "none") return FALSE;
  const arr = (s: State, v: ProfileValue[]): boolean => {
    for (let k = 0; k < v.length; k++) if (orderElem(s, v[k] as ProfileValue, op, o)) return true;
    return false;
  };
  if (o.kind === "str") {
    const b = o.str;
    return (s) => {
      const v = field(s, i);
      if (typeof v === "string") return cmp(op, v, b);
      return Array.isArray(v) ? arr(s, v) : false;
    };
  }
  const get = o.kind === "num" ? numOf : timeOf;
  const c = o.c;
  const rel = o.rel;
  // Comparable value of a scalar; NaN (never comparable) for absent, booleans and maps.
  const x = (s: State, v: ProfileValue | undefined): number =>
    typeof v === "number" ? v : typeof v === "string" ? get(s, i, v) : NaN;
  switch (op) {
    case ">":
      return (s) => {
        const v = field(s, i);
        return Array.isArray(v) ? arr(s, v) : x(s, v) > (rel ? s.now + c : c);
      };
    case ">=":
      return (s) => {
        const v = field(s, i);
        return Array.isArray(v) ? arr(s, v) : x(s, v) >= (rel ? s.now + c : c);
      };
    case "<":
      return (s) => {
        const v = field(s, i);
        return Array.isArray(v) ? arr(s, v) : x(s, v) < (rel ? s.now + c : c);
      };
    default:
      return (s) => {
        const v = field(s, i);
        return Array.isArray(v) ? arr(s, v) : x(s, v) <= (rel ? s.now + c : c);
      };
  }
}

/** Boundary of `t <op> now+off` over slot `i`'s value (every element of an array). */
function boundOf(s: State, i: number, parts: { op: string; o: Operand }[]): number {
  const v = field(s, i);
  if (v == null || typeof v === "boolean") return Infinity;
  let best = Infinity;
  const one = (t: number): void => {
    for (const p of parts) {
      const b = relativeBoundary(p.op, t, p.o.c, s.now);
      if (b < best) best = b;
    }
  };
  if (typeof v === "object") {
    if (Array.isArray(v)) for (const e of v) one(toTime(e));
    return best;
  }
  one(timeOf(s, i, v));
  return best;
}

/**
 * Compiles a leaf over field slot `i` (ignored for INCLUDE, which the caller
 * compiles). Leaves with relative times also get a boundary function.
 */
export function compileLeaf(node: Exclude<LeafNode, { op: "include" }>, i: number): CompiledLeaf {
  switch (node.op) {
    case "exists":
      return { fn: (s) => isNonEmpty(field(s, i)) };
    case "=":
      return { fn: equality(i, node.args[1].val, false) };
    case "!=":
      return { fn: equality(i, node.args[1].val, true) };
    case "in":
    case "intersects":
      return {
        fn: membership(
          i,
          node.args[1].args.map((a) => a.val),
        ),
      };
    case "contains":
      return { fn: contains(i, node.args[1].val) };
    case "like":
      return { fn: like(i, node.args[1].val) };
    case "between": {
      const lo = classify(node.args[1].val);
      const hi = classify(node.args[2].val);
      const fn: Fn =
        lo.kind === "none" || hi.kind === "none"
          ? FALSE
          : (s) => {
              const v = field(s, i);
              if (v == null) return false;
              if (Array.isArray(v)) {
                for (const e of v) if (orderElem(s, e, ">=", lo) && orderElem(s, e, "<=", hi)) return true;
                return false;
              }
              return orderScalar(s, i, v, ">=", lo) && orderScalar(s, i, v, "<=", hi);
            };
      const parts = [...(lo.rel ? [{ op: ">=", o: lo }] : []), ...(hi.rel ? [{ op: "<=", o: hi }] : [])];
      if (parts.length === 0 || fn === FALSE) return { fn };
      return { fn, bound: (s) => boundOf(s, i, parts) };
    }
    default: {
      const o = classify(node.args[1].val);
      const fn = ordering(i, node.op, o);
      if (!o.rel) return { fn };
      const parts = [{ op: node.op, o }];
      return { fn, bound: (s) => boundOf(s, i, parts) };
    }
  }
}
