import type { FieldValue } from "../../types/wire";

import type { MergeStrategy } from "../accounts/field-vocabulary";

/** One distinct value a profile has seen for a field, with when and how often. */
export interface Observation {
  value: FieldValue;
  first: number;
  last: number;
  count: number;
}

/**
 * Computes a field's value from its observations. Ties go to the value seen
 * most recently; `unique` lists values in the order they were first seen
 * and flattens arrays into their elements.
 */
export function combine(observations: readonly Observation[], strategy: MergeStrategy): FieldValue {
  if (observations.length === 0) return null;
  switch (strategy) {
    case "first":
      return pick(observations, (a, b) => b.first - a.first || a.last - b.last).value;
    case "frequent":
      return pick(observations, (a, b) => a.count - b.count || a.last - b.last).value;
    case "unique": {
      const seen = new Set<string>();
      const out: FieldValue[] = [];
      for (const o of [...observations].sort((a, b) => a.first - b.first)) {
        for (const v of Array.isArray(o.value) ? o.value : [o.value]) {
          const key = JSON.stringify(v);
          if (!seen.has(key)) {
            seen.add(key);
            out.push(v);
          }
        }
      }
      return out;
    }
    default:
      return pick(observations, (a, b) => a.last - b.last || a.first - b.first).value;
  }
}

/** The greatest observation by `cmp` (positive when `a` is greater). */
function pick(obs: readonly Observation[], cmp: (a: Observation, b: Observation) => number): Observation {
  let best = obs[0]!;
  for (let i = 1; i < obs.length; i++) if (cmp(obs[i]!, best) > 0) best = obs[i]!;
  return best;
}
