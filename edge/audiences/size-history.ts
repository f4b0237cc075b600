/**
 * Audience size over time, from the daily counts each index shard records
 * (see `AudienceIndexObject`): a shard writes a row only on days its count
 * of the audience changed, so a day's size is the sum over shards of each
 * shard's last count on or before that day.
 */
import type { DailySize } from "./contract";

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** Days of size history kept (and the longest range the API serves). */
export const SIZE_HISTORY_DAYS = 365;

/** The UTC day (`YYYY-MM-DD`) of an epoch-millisecond instant. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** One point of an audience's size history. */
export interface SizePoint {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Members at the end of that day (today: now); null before anything was recorded. */
  size: number | null;
}

/**
 * Sums per-shard daily counts into one point per day for the `days` days
 * ending with the day of `now` (oldest first). Days before any shard
 * recorded the audience have size null (no history yet, not zero).
 */
export function sizeSeries(shards: readonly (readonly DailySize[])[], days: number, now: number): SizePoint[] {
  const out: SizePoint[] = [];
  const cursors = shards.map(() => -1);
  const first = dayOf(now - (days - 1) * DAY_MS);
  // Move each shard's cursor to its last row before the window.
  shards.forEach((rows, s) => {
    while (cursors[s]! + 1 < rows.length && rows[cursors[s]! + 1]!.day < first) cursors[s]!++;
  });
  for (let i = days - 1; i >= 0; i--) {
    const day = dayOf(now - i * DAY_MS);
    let size = 0;
    let known = false;
    shards.forEach((rows, s) => {
      while (cursors[s]! + 1 < rows.length && rows[cursors[s]! + 1]!.day <= day) cursors[s]!++;
      const row = rows[cursors[s]!];
      if (row) {
        size += row.n;
        known = true;
      }
    });
    out.push({ day, size: known ? size : null });
  }
  return out;
}
