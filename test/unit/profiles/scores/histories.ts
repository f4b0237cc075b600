/** Constructed visitor histories for the score tests. */
import { type ActivityState, DAY_MS, emptyActivity, recordEvent } from "../../../../edge/profiles/scores/index";

/** 2026-01-01T00:00:00Z: day 0 of every constructed history. */
export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The time `day` days (may be fractional) after {@link T0}. */
export function at(day: number): number {
  return T0 + day * DAY_MS;
}

/** One visit as the tag sends it: the first event carries `_sesstart`, the rest follow every `gapMinutes`. */
export interface Visit {
  /** Days after T0 (fractional: time of day). */
  day: number;
  events?: number;
  gapMinutes?: number;
}

/** Records visits in order, as the tag would: `_sesstart` on each visit's first event. */
export function visit(state: ActivityState, visits: Visit[]): ActivityState {
  let s = state;
  for (const v of visits) {
    const events = v.events ?? 3;
    for (let i = 0; i < events; i++)
      s = recordEvent(s, { ts: at(v.day) + i * (v.gapMinutes ?? 2) * MINUTE, sessionStart: i === 0 });
  }
  return s;
}

/** A history from scratch. */
export function history(visits: Visit[]): ActivityState {
  return visit(emptyActivity(), visits);
}

/** Visits at 15:00 UTC on each of `days`. */
export function onDays(days: Iterable<number>, events = 3, gapMinutes = 2): Visit[] {
  return [...days].map((day) => ({ day: day + 15 / 24, events, gapMinutes }));
}

/** Integers from `from` up to (not including) `to`, stepping by `step`. */
export function range(from: number, to: number, step = 1): number[] {
  const out: number[] = [];
  for (let d = from; d < to; d += step) out.push(d);
  return out;
}
