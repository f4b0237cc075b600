/**
 * # Behavioral scores (pure core)
 *
 * Lytics' behavioral scores — `score_frequency`, `score_recency`,
 * `score_intensity`, `score_momentum`, `score_consistency`, `score_quantity`,
 * `score_maturity` — from a compact per-profile activity state. No I/O, no
 * clock (callers pass `now`), nothing imported from the rest of `edge/`.
 *
 * Use: keep an {@link ActivityState} per profile (`emptyActivity()`), fold each
 * accepted event in with `recordEvent`, combine two profiles with
 * `mergeActivity`, surface `computeScores(state, now)` as profile fields, and
 * wake the profile at `nextScoreChange(state, now)` to recompute them as time
 * passes. Formulas and limits: the README, "Behavioral scores".
 */
export {
  ACTIVITY_WINDOW_DAYS,
  type ActivityEvent,
  type ActivityState,
  DAY_MS,
  dayOf,
  emptyActivity,
  hasActivity,
  mergeActivity,
  type OpenSession,
  parseActivity,
  recordEvent,
  SESSION_TIMEOUT_MS,
} from "./activity";
export {
  CONSISTENCY_FULL_GAPS,
  computeScores,
  FREQUENCY_MIN_DAYS,
  INTENSITY_EVENTS_REF,
  INTENSITY_MINUTES_REF,
  MATURITY_DAYS_REF,
  MOMENTUM_RECENT_DAYS,
  QUANTITY_EVENTS_REF,
  RECENCY_HALF_LIFE_DAYS,
  SCORE_FIELDS,
  type ScoreField,
  type Scores,
  TIME_DEPENDENT_SCORES,
} from "./formulas";
export { nextScoreChange, SCORES_SETTLE_DAYS } from "./schedule";
