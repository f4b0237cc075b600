/**
 * Per-evaluation state of compiled segments. Every distinct field path of a
 * compiled unit (one segment, or all segments of an AudienceSet) gets a slot;
 * a slot's value and its derived forms (number, time, lower-case text) are
 * computed at most once per evaluation and shared by every condition on that
 * field. Validity is tracked with an epoch stamp instead of clearing arrays.
 */
import { lookupField, toNumber, toTime, type EvalContext, type Profile, type ProfileValue } from "../values/coerce";

/** Mutable evaluation state; one per compiled unit, reused across calls. */
export interface State {
  profile: Profile;
  now: number;
  epoch: number;
  ext: EvalContext | undefined;
  names: string[];
  parts: string[][];
  fVal: (ProfileValue | undefined)[];
  fStamp: Int32Array;
  nVal: Float64Array;
  nStamp: Int32Array;
  tVal: Float64Array;
  tStamp: Int32Array;
  lVal: string[];
  lStamp: Int32Array;
  memo: Uint8Array;
  mStamp: Int32Array;
  member: Uint8Array;
  busy: boolean;
}

/** Creates the state for `fields` slots, `memos` shared-leaf memos and `members` segments. */
export function createState(fields: string[], memos: number, members: number): State {
  const n = fields.length;
  return {
    profile: {},
    now: 0,
    epoch: 0,
    ext: undefined,
    names: fields.slice(),
    parts: fields.map((f) => f.split(".")),
    fVal: new Array<ProfileValue | undefined>(n).fill(undefined),
    fStamp: new Int32Array(n),
    nVal: new Float64Array(n),
    nStamp: new Int32Array(n),
    tVal: new Float64Array(n),
    tStamp: new Int32Array(n),
    lVal: new Array<string>(n).fill(""),
    lStamp: new Int32Array(n),
    memo: new Uint8Array(memos),
    mStamp: new Int32Array(memos),
    member: new Uint8Array(members),
    busy: false,
  };
}

/** Starts a new evaluation: invalidates every cache by moving the epoch. */
export function begin(s: State, profile: Profile, now: number, ext: EvalContext | undefined): void {
  s.profile = profile;
  s.now = now;
  s.ext = ext;
  s.epoch++;
  if (s.epoch >= 0x3fffffff) {
    s.fStamp.fill(0);
    s.nStamp.fill(0);
    s.tStamp.fill(0);
    s.lStamp.fill(0);
    s.mStamp.fill(0);
    s.epoch = 1;
  }
}

/** A copy of `s` with fresh caches, for re-entrant evaluation. */
export function cloneState(s: State): State {
  return createState(s.names, s.memo.length, s.member.length);
}

/** The value of field slot `i`. */
export function field(s: State, i: number): ProfileValue | undefined {
  if (s.fStamp[i] === s.epoch) return s.fVal[i];
  const v = lookupField(s.profile, s.names[i] as string, s.parts[i] as string[]);
  s.fVal[i] = v;
  s.fStamp[i] = s.epoch;
  return v;
}

/** Numeric value of slot `i` whose (scalar) value is `v`. */
export function numOf(s: State, i: number, v: ProfileValue): number {
  if (typeof v === "number") return v;
  if (s.nStamp[i] === s.epoch) return s.nVal[i] as number;
  const x = toNumber(v);
  s.nVal[i] = x;
  s.nStamp[i] = s.epoch;
  return x;
}

/** Time value (epoch ms) of slot `i` whose (scalar) value is `v`. */
export function timeOf(s: State, i: number, v: ProfileValue): number {
  if (typeof v === "number") return v;
  if (s.tStamp[i] === s.epoch) return s.tVal[i] as number;
  const x = toTime(v);
  s.tVal[i] = x;
  s.tStamp[i] = s.epoch;
  return x;
}

/** Lower-cased text of slot `i` whose value is the string or number `v`. */
export function lowerOf(s: State, i: number, v: string | number): string {
  if (s.lStamp[i] === s.epoch) return s.lVal[i] as string;
  const x = String(v).toLowerCase();
  s.lVal[i] = x;
  s.lStamp[i] = s.epoch;
  return x;
}
