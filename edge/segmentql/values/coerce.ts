/**
 * Profile types, field lookup and the value coercions shared by the naive
 * evaluator and the compiler. See the semantics section in `index.ts`.
 */
import { parseIsoTime } from "./time";

/** A value stored in a profile field. */
export type ProfileValue = string | number | boolean | null | ProfileValue[] | { [k: string]: ProfileValue };

/**
 * A user profile: field name -> value. Timestamps are ISO-8601 strings or
 * epoch-millisecond numbers.
 */
export type Profile = Record<string, ProfileValue | undefined>;

/** How INCLUDE is answered: memberships already computed elsewhere. */
export interface EvalContext {
  /** Whether the profile is a member of the segment `slug`; unknown slugs are non-members. */
  isMember(slug: string): boolean;
}

/** A map-valued field (a plain object, not an array). */
export type ProfileMap = { [k: string]: ProfileValue };

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Reads a field. The whole name is tried first as a key (so flat keys such
 * as `"utm.source"` work); otherwise a dotted name walks into maps:
 * `a.b.c` is `profile.a.b.c`. Only own properties are read.
 *
 * @param parts - `name.split(".")`, precomputed by callers that can.
 */
export function lookupField(profile: Profile, name: string, parts: readonly string[]): ProfileValue | undefined {
  if (hasOwn.call(profile, name)) {
    const v = profile[name];
    if (v !== undefined || parts.length === 1) return v;
  }
  if (parts.length === 1) return undefined;
  let cur: ProfileValue | undefined = hasOwn.call(profile, parts[0] as string)
    ? profile[parts[0] as string]
    : undefined;
  for (let i = 1; i < parts.length; i++) {
    if (cur === null || cur === undefined || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    const key = parts[i] as string;
    cur = hasOwn.call(cur, key) ? (cur as ProfileMap)[key] : undefined;
  }
  return cur;
}

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** True when a string is a decimal number (`"42"`, `" -1.5e3 "`; not `"0x1f"`, not `""`). */
export function isNumericString(s: string): boolean {
  return s.length > 0 && s.length < 400 && NUMERIC.test(s);
}

/** Numeric value of a scalar: numbers as is, numeric strings parsed, anything else NaN. */
export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && isNumericString(v)) return Number(v);
  return NaN;
}

/**
 * Time value of a scalar in epoch ms: numbers (and numeric strings) are
 * epoch milliseconds, other strings must be ISO-8601; anything else NaN.
 */
export function toTime(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return isNumericString(v) ? Number(v) : parseIsoTime(v);
  return NaN;
}

/** Boolean value of a scalar: booleans, and the strings true/false/t/f (any case). */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && v.length <= 5) {
    const s = v.toLowerCase();
    if (s === "true" || s === "t") return true;
    if (s === "false" || s === "f") return false;
  }
  return undefined;
}

/** EXISTS: present and not empty (not undefined, null, "", [] or {}). */
export function isNonEmpty(v: ProfileValue | undefined): boolean {
  if (v === undefined || v === null || v === "") return false;
  if (typeof v === "object") {
    if (Array.isArray(v)) return v.length > 0;
    for (const k in v) if (hasOwn.call(v, k)) return true;
    return false;
  }
  return true;
}
