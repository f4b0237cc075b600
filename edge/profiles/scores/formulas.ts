/**
 * # Behavioral scores
 *
 * Lytics' seven behavioral scores, each an integer 0–100 computed from a
 * profile's {@link ActivityState} at a time `now`. Every formula is fixed
 * and explained here and in the README ("Behavioral scores"); unlike Lytics, scores are not
 * ranked against the other profiles of the account (each profile is scored on
 * its own, in real time, inside its own object).
 *
 * Days are UTC days. "Today" is the day of `now`, or the day of the latest
 * event if that is later (an event stamped in the future counts as today).
 * The window is the {@link ACTIVITY_WINDOW_DAYS} days ending today.
 *
 * Recency, frequency, momentum and consistency change as days pass without
 * an event; intensity, quantity and maturity change only with events.
 */
import { ACTIVITY_WINDOW_DAYS, type ActivityState, DAY_MS, dayOf, hasActivity } from "./activity";

/** Recency halves every this many days without an event. */
export const RECENCY_HALF_LIFE_DAYS = 10;
/** Frequency divides visit days by at least this many days of tenure. */
export const FREQUENCY_MIN_DAYS = 14;
/** Momentum's recent period, in days (compared with the whole window). */
export const MOMENTUM_RECENT_DAYS = 7;
/** Events per session at which intensity's events half is full. */
export const INTENSITY_EVENTS_REF = 20;
/** Minutes per session at which intensity's time half is full. */
export const INTENSITY_MINUTES_REF = 30;
/** Gaps between visits needed for full confidence in consistency. */
export const CONSISTENCY_FULL_GAPS = 6;
/** Lifetime events at which quantity reaches 100. */
export const QUANTITY_EVENTS_REF = 1000;
/** Days between first and last event at which maturity reaches 100. */
export const MATURITY_DAYS_REF = 365;

/** The profile fields the scores are surfaced as, in Lytics' names. */
export const SCORE_FIELDS = [
  "score_frequency",
  "score_recency",
  "score_intensity",
  "score_momentum",
  "score_consistency",
  "score_quantity",
  "score_maturity",
] as const;

/** A score's field name. */
export type ScoreField = (typeof SCORE_FIELDS)[number];

/** The seven scores, each an integer 0–100. */
export type Scores = Record<ScoreField, number>;

/** The scores that change as time passes without an event. */
export const TIME_DEPENDENT_SCORES: readonly ScoreField[] = [
  "score_recency",
  "score_frequency",
  "score_momentum",
  "score_consistency",
];

/** A fraction (clamped to 0..1) as an integer score 0–100. */
function toScore(fraction: number): number {
  return Math.round(100 * Math.min(1, Math.max(0, fraction)));
}

/** `ln(1 + x) / ln(1 + ref)`: 0 at 0, 1 at `ref`, growing ever slower. */
function logShare(x: number, ref: number): number {
  return Math.log1p(Math.max(0, x)) / Math.log1p(ref);
}

/** What the formulas read of a non-empty state at `now`. */
interface Moment {
  today: number;
  firstDay: number;
  lastDay: number;
  /** `[day, events]` within the window ending today, ascending. */
  window: [number, number][];
}

function moment(state: ActivityState, now: number): Moment {
  if (typeof now !== "number" || !Number.isFinite(now) || now < 0)
    throw new RangeError(`now must be a non-negative finite epoch-milliseconds number, got ${String(now)}`);
  const lastDay = dayOf(state.lastSeen!);
  const today = Math.max(dayOf(now), lastDay);
  const oldest = today - ACTIVITY_WINDOW_DAYS + 1;
  return {
    today,
    firstDay: dayOf(state.firstSeen!),
    lastDay,
    window: state.days.filter(([d]) => d >= oldest && d <= today),
  };
}

/** Days from the first event's day to today, both counted, capped at the window. */
function observedDays(m: Moment): number {
  return Math.min(ACTIVITY_WINDOW_DAYS, m.today - m.firstDay + 1);
}

/**
 * `score_recency`: how recently. 100 on a day with an event, halving every
 * {@link RECENCY_HALF_LIFE_DAYS} days since: `100 · 2^(−d / 10)`, where `d` is
 * whole days since the last event's day (1 day: 93, 7: 62, 30: 13, 77+: 0).
 */
function recency(m: Moment): number {
  return toScore(2 ** (-(m.today - m.lastDay) / RECENCY_HALF_LIFE_DAYS));
}

/**
 * `score_frequency`: how often they come back. The share of days with an
 * event among the days observed in the window — from the first event's day
 * (at least {@link FREQUENCY_MIN_DAYS}, so one visit is not "every day") up to
 * 90 — square-rooted so weekly visitors are not crowded at the bottom:
 * `100 · √(visitDays / clamp(tenureDays, 14, 90))`. Daily: 100, every other
 * day: 71, weekly: 38, monthly: 18, a first visit: 27.
 */
function frequency(m: Moment): number {
  const observed = Math.max(FREQUENCY_MIN_DAYS, observedDays(m));
  return toScore(Math.sqrt(m.window.length / observed));
}

/**
 * `score_momentum`: recent activity against their own longer-term rate. With
 * `r` = events per day over the last {@link MOMENTUM_RECENT_DAYS} days and `R`
 * = events per day over the window (both periods shortened to the days since
 * the first event when it is younger), `ρ = r / R` and the score is
 * `100 · ρ / (1 + ρ)`: 50 at a steady rate, above 50 when more active than
 * usual (ρ = 3: 75), below when less (ρ = 1/3: 25), 0 after a week without
 * events or with no events in the window.
 */
function momentum(m: Moment): number {
  const long = observedDays(m);
  const recent = Math.min(MOMENTUM_RECENT_DAYS, long);
  let longEvents = 0;
  let recentEvents = 0;
  for (const [d, c] of m.window) {
    if (d > m.today - long) longEvents += c;
    if (d > m.today - recent) recentEvents += c;
  }
  if (longEvents === 0) return 0;
  const ratio = recentEvents / recent / (longEvents / long);
  return toScore(ratio / (1 + ratio));
}

/**
 * `score_consistency`: regularity of visits. Gaps (in days) between
 * consecutive days with an event in the window — plus the gap still open since
 * the last visit once it is longer than the mean of the others — and their
 * coefficient of variation `CV = σ / μ`. With `n` gaps (fewer than 2: score
 * 0), `100 · (1 − min(1, CV)) · min(1, n / 6)`. Daily or weekly like clockwork:
 * 100; erratic visits or a long silence after a regular rhythm: near 0.
 */
function consistency(m: Moment): number {
  const gaps: number[] = [];
  for (let i = 1; i < m.window.length; i++) gaps.push(m.window[i]![0] - m.window[i - 1]![0]);
  if (gaps.length === 0) return 0;
  const closedMean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const open = m.today - m.window[m.window.length - 1]![0];
  if (open > closedMean) gaps.push(open);
  if (gaps.length < 2) return 0;
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const variance = gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length;
  const cv = Math.sqrt(variance) / mean;
  return toScore((1 - Math.min(1, cv)) * Math.min(1, gaps.length / CONSISTENCY_FULL_GAPS));
}

/**
 * `score_intensity`: depth of sessions. The mean of two halves, each
 * log-scaled: events per session (full at {@link INTENSITY_EVENTS_REF}) and
 * minutes per session, first to last event (full at
 * {@link INTENSITY_MINUTES_REF}): `50 · ln(1+e)/ln(21) + 50 · ln(1+min)/ln(31)`,
 * each half capped. One event per visit: 11; 5 events over 5 minutes: 56.
 */
function intensity(state: ActivityState): number {
  const open = state.current ? state.current.last - state.current.start : 0;
  const sessions = Math.max(1, state.sessions);
  const eventsPer = state.events / sessions;
  const minutesPer = (state.closedSessionMs + open) / sessions / 60_000;
  const half = (x: number, ref: number) => Math.min(1, logShare(x, ref)) / 2;
  return toScore(half(eventsPer, INTENSITY_EVENTS_REF) + half(minutesPer, INTENSITY_MINUTES_REF));
}

/**
 * `score_quantity`: total volume over the lifetime, log-scaled:
 * `100 · log(1 + events) / log(1001)`, capped. 1 event: 10, 10: 35, 100: 67,
 * 1,000 or more: 100.
 */
function quantity(state: ActivityState): number {
  return toScore(logShare(state.events, QUANTITY_EVENTS_REF));
}

/**
 * `score_maturity`: tenure — how long they have been interacting, from the
 * first event to the last (not to now: a one-time visitor stays immature),
 * log-scaled: `100 · ln(1 + days) / ln(366)`, capped. A day: 12, a week: 35,
 * a month: 58, a quarter: 76, a year or more: 100.
 */
function maturity(state: ActivityState): number {
  return toScore(logShare((state.lastSeen! - state.firstSeen!) / DAY_MS, MATURITY_DAYS_REF));
}

/**
 * The seven behavioral scores of a profile at `now`, or `null` when it has no
 * events yet (as in Lytics, a profile without behavioral data has no scores).
 *
 * @throws RangeError when `now` is not a non-negative finite number.
 */
export function computeScores(state: ActivityState, now: number): Scores | null {
  if (!hasActivity(state)) return null;
  const m = moment(state, now);
  return {
    score_frequency: frequency(m),
    score_recency: recency(m),
    score_intensity: intensity(state),
    score_momentum: momentum(m),
    score_consistency: consistency(m),
    score_quantity: quantity(state),
    score_maturity: maturity(state),
  };
}
