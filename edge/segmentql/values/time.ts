/**
 * Time handling: relative times (`"now-7d"`), ISO-8601 timestamps, and the
 * instants at which a relative-time comparison changes its answer.
 * All times are epoch milliseconds (UTC); nothing here reads a clock.
 */

/** Milliseconds per unit of a relative time. `m` is minutes (Lytics has no months here). */
export const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^[nN][oO][wW]((?:[+-]\d+[smhdw])*)$/;
const RELATIVE_TERM = /([+-])(\d+)([smhdw])/g;

/**
 * Parses a relative time such as `now`, `now-30d`, `now+2h` or `now-1d+12h`
 * (units s m h d w; `now` is case-insensitive, units are lower case).
 *
 * @returns the offset from now in milliseconds, or `undefined` when `text`
 * is not a relative time.
 */
export function parseRelativeTime(text: string): number | undefined {
  if (text.length < 3 || text.length > 200) return undefined;
  const m = RELATIVE.exec(text);
  if (m === null) return undefined;
  let offset = 0;
  const terms = m[1] as string;
  if (terms.length === 0) return 0;
  RELATIVE_TERM.lastIndex = 0;
  for (let t = RELATIVE_TERM.exec(terms); t !== null; t = RELATIVE_TERM.exec(terms)) {
    const n = Number(t[2]) * (UNIT_MS[t[3] as string] as number);
    offset += t[1] === "-" ? -n : n;
  }
  // Beyond the range of dates there is no meaningful "now + offset".
  if (!Number.isSafeInteger(offset) || Math.abs(offset) > 8.64e15) return undefined;
  return offset === 0 ? 0 : offset;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Parses an ISO-8601 date or date-time: `2024-05-01`, `2024-05-01T10:20`,
 * `2024-05-01T10:20:30.123456789Z`, `2024-05-01 10:20:30+02:00`. A date-time
 * without a zone is UTC (deterministic, unlike `Date.parse`). Fractions
 * beyond milliseconds are truncated.
 *
 * @returns epoch milliseconds, or `NaN` when `text` is not such a timestamp.
 */
export function parseIsoTime(text: string): number {
  if (text.length < 10 || text.length > 40) return NaN;
  const m = ISO.exec(text);
  if (m === null) return NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  let ms = daysFromCivil(y, mo, d) * 86_400_000;
  if (m[4] !== undefined) {
    const h = Number(m[4]);
    const mi = Number(m[5]);
    const s = m[6] === undefined ? 0 : Number(m[6]);
    if (h > 23 || mi > 59 || s > 59) return NaN;
    const frac = m[7] === undefined ? 0 : Number((m[7] + "00").slice(0, 3));
    ms += h * 3_600_000 + mi * 60_000 + s * 1_000 + frac;
    if (m[9] !== undefined) {
      const oh = Number(m[10]);
      const om = Number(m[11]);
      if (oh > 23 || om > 59) return NaN;
      const off = (oh * 60 + om) * 60_000;
      ms += m[9] === "+" ? -off : off;
    }
  }
  return ms;
}

/**
 * For a comparison `t <op> now + offset` (t fixed, time running), the first
 * integer millisecond after `now` at which its answer differs from the
 * answer at `now`; `Infinity` when it never changes again.
 *
 * - `t >  now+off` holds while `now <  t-off`: changes at ceil(t-off)
 * - `t >= now+off` holds while `now <= t-off`: changes at floor(t-off)+1
 * - `t <  now+off` holds once  `now >  t-off`: changes at floor(t-off)+1
 * - `t <= now+off` holds once  `now >= t-off`: changes at ceil(t-off)
 */
export function relativeBoundary(op: string, t: number, offset: number, now: number): number {
  if (!Number.isFinite(t)) return Infinity;
  const x = t - offset;
  let b: number;
  if (op === ">" || op === "<=") b = Math.ceil(x);
  else b = Math.floor(x) + 1;
  return b > now ? b : Infinity;
}
