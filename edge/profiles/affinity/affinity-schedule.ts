/**
 * # When topic affinities cross an audience's threshold without an event
 *
 * Affinities decay between views (see `./affinity`), so an audience such as
 * `topic_affinity.hiking > 0.5` must lose a member when the decayed value
 * falls to 0.5, and `topic_affinity.hiking < 0.4` gain one when it falls
 * below 0.4, though no event arrives. {@link affinityThresholdsUsed} lists
 * the thresholds an account's audiences compare `topic_affinity.<topic>`
 * with; {@link nextAffinityChange} finds the first time after `now` at which
 * one of the profile's affinities crosses one of them, so the profile's
 * alarm wakes then (and only when some audience reads an affinity).
 *
 * An affinity without new views only falls, so a test against θ changes at
 * most twice: when the shown value becomes ≤ θ (a `>` test turns false,
 * `<=` true) and when it becomes < θ, i.e. ≤ θ − 0.0001 at 4 decimals
 * (`>=` false, `<` true). See {@link AffinityThresholds}.
 */
import type { AudienceDefinitions } from "../../accounts/records/audience-records";
import type { SegmentAst } from "../../segmentql";
import { type AffinityOptions, type AffinityState, affinityFallsBelowAt } from "./affinity";

/** The field prefix audiences read affinities by (`topic_affinity.hiking`). */
const PREFIX = "topic_affinity.";
/** One unit of the 4-decimal rounding of shown affinities. */
const STEP = 0.0001;

/**
 * Topic -> the levels at which some audience test of its affinity changes
 * (sorted, distinct): a test changes when the shown affinity falls to a
 * level or below. `> θ` and `<= θ` change at θ; `>= θ` and `< θ` at
 * θ − 0.0001; `=`, `!=` and other tests at both; `BETWEEN lo AND hi` at hi
 * and lo − 0.0001.
 */
export type AffinityThresholds = Record<string, number[]>;

const numeric = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};

/** The levels at which `ast` (a leaf on an affinity) changes. */
function levelsOf(op: string, operands: unknown[]): number[] {
  const vals = operands.flatMap((o) =>
    Array.isArray((o as { args?: unknown }).args)
      ? (o as { args: { val?: unknown }[] }).args.map((v) => numeric(v.val))
      : [numeric((o as { val?: unknown }).val)],
  );
  if (op === ">" || op === "<=") return vals.filter((v) => v !== null);
  if (op === ">=" || op === "<") return vals.filter((v) => v !== null).map((v) => v - STEP);
  if (op === "between") {
    const [lo, hi] = vals;
    return [...(hi != null ? [hi] : []), ...(lo != null ? [lo - STEP] : [])];
  }
  return vals.filter((v) => v !== null).flatMap((v) => [v, v - STEP]);
}

/** Adds to `into` (topic -> levels) the levels at which the tests of `topic_affinity.<topic>` in `ast` change. */
export function collectAffinityLevels(ast: SegmentAst, into: Map<string, Set<number>>): void {
  if (ast.op === "and" || ast.op === "or") {
    for (const a of ast.args) collectAffinityLevels(a, into);
    return;
  }
  if (ast.op === "not") {
    collectAffinityLevels(ast.args[0], into);
    return;
  }
  const [field, ...rest] = ast.args as unknown[];
  const ident = (field as { ident?: unknown } | undefined)?.ident;
  if (typeof ident !== "string" || !ident.startsWith(PREFIX) || ident.length === PREFIX.length) return;
  const topic = ident.slice(PREFIX.length);
  for (const level of levelsOf(ast.op, rest)) {
    // An affinity is shown in (0, 1): levels outside never cross.
    if (!(level > 0 && level < 1)) continue;
    let set = into.get(topic);
    if (!set) into.set(topic, (set = new Set()));
    set.add(level);
  }
}

/** The levels at which any of an account's audiences' tests of a `topic_affinity.<topic>` field change. */
export function affinityThresholdsUsed(defs: AudienceDefinitions): AffinityThresholds {
  const found = new Map<string, Set<number>>();
  for (const s of defs.segments) if (s.ast) collectAffinityLevels(s.ast, found);
  const out: AffinityThresholds = {};
  for (const [topic, set] of found) out[topic] = [...set].sort((a, b) => a - b);
  return out;
}

/**
 * The earliest time after `now` (epoch ms) at which a shown affinity of
 * `state` crosses one of `thresholds` without a new view, or `null` when
 * none will (no audience reads affinities, or every one is already below
 * every threshold).
 */
export function nextAffinityChange(
  state: AffinityState,
  now: number,
  thresholds: AffinityThresholds,
  o?: AffinityOptions,
): number | null {
  let next: number | null = null;
  for (const [topic, list] of Object.entries(thresholds)) {
    const ts = Object.hasOwn(state.topics, topic) ? state.topics[topic] : undefined;
    if (!ts) continue;
    for (const level of list) {
      const at = affinityFallsBelowAt(ts, level, o);
      if (at > now && Number.isFinite(at) && (next === null || at < next)) next = at;
    }
  }
  return next;
}
