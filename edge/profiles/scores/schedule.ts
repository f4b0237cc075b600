/**
 * # When scores change without an event
 *
 * Recency, frequency, momentum and consistency depend on the UTC day, so they
 * can only change at a day boundary (00:00 UTC). {@link nextScoreChange} finds
 * the first boundary after `now` at which any score would differ, so the
 * profile's alarm wakes only when a score really changes.
 *
 * The alarm rule ends: {@link SCORES_SETTLE_DAYS} days after the day of the
 * last event, the window holds no event, so recency, frequency, momentum and
 * consistency are all 0 (their floor) and stay there; from then on no
 * boundary changes anything and no alarm is needed until the next event.
 */
import { ACTIVITY_WINDOW_DAYS, type ActivityState, DAY_MS, dayOf, hasActivity } from "./activity";
import { computeScores, type ScoreField, TIME_DEPENDENT_SCORES } from "./formulas";

/** Days after the last event's day from which every time-dependent score is at its floor, 0. */
export const SCORES_SETTLE_DAYS = ACTIVITY_WINDOW_DAYS;

/**
 * The earliest time after `now` (epoch ms, always a UTC midnight) at which
 * {@link computeScores} would give a different result without a new event,
 * or `null` if none will: no events yet, or every time-dependent score has
 * settled at 0 ({@link SCORES_SETTLE_DAYS} days after the last event's day).
 *
 * `fields` narrows the question to some scores, e.g. only those the account's
 * audiences use, so a profile is not woken for changes nobody reads
 * (intensity, quantity and maturity never change without an event).
 *
 * @throws RangeError when `now` is not a non-negative finite number.
 */
export function nextScoreChange(
  state: ActivityState,
  now: number,
  fields: readonly ScoreField[] = TIME_DEPENDENT_SCORES,
): number | null {
  const watched = fields.filter((f) => TIME_DEPENDENT_SCORES.includes(f));
  if (!hasActivity(state) || watched.length === 0) return null;
  const current = computeScores(state, now)!;
  const lastDay = dayOf(state.lastSeen!);
  const settled = lastDay + SCORES_SETTLE_DAYS;
  for (let day = Math.max(dayOf(now), lastDay) + 1; day <= settled; day++) {
    const at = day * DAY_MS;
    const then = computeScores(state, at)!;
    if (watched.some((f) => then[f] !== current[f])) return at;
  }
  return null;
}
