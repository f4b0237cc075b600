/**
 * When and whether a webhook delivery is tried again (Standard Webhooks
 * schedule). Pure functions: the delivery object feeds them outcomes and
 * the clock.
 */

/**
 * Delay before each attempt, in milliseconds: the first is immediate, then
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h. After the tenth
 * attempt fails the request is dead-lettered.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
];

/** Attempts a request gets before it is dead-lettered. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;

/** Longest `Retry-After` honoured (a receiver cannot park a message forever). */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/** Each retry delay is spread by ±20% so receivers recovering from an outage are not hit in lockstep. */
export const JITTER = 0.2;

/** What an attempt's outcome means for the request. */
export type Verdict =
  /** 2xx: delivered. */
  | "delivered"
  /** Network error, timeout, 429 or 5xx: try again later. */
  | "retry"
  /** Any other status (4xx, 3xx): no retry, dead-letter now. */
  | "fail"
  /** 410 Gone: the receiver wants no more; disable the subscription. */
  | "gone";

/** Classifies an attempt by the HTTP status it got (null: no response — network error or timeout). */
export function verdictOf(status: number | null): Verdict {
  if (status === null) return "retry";
  if (status >= 200 && status < 300) return "delivered";
  if (status === 410) return "gone";
  if (status === 429 || status >= 500) return "retry";
  return "fail";
}

/**
 * Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds
 * from `now`; null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/**
 * Delay before attempt number `attempt + 1` after `attempt` attempts failed
 * (attempt ≥ 1), or null when none is left. The scheduled delay is
 * multiplied by `scale` (1 in production; tests and benchmarks shrink it)
 * and jittered with `random()` in [0, 1); a `Retry-After` (ms, not scaled)
 * is a lower bound.
 */
export function retryDelay(
  attempt: number,
  options: { scale?: number; retryAfterMs?: number | null; random?: () => number } = {},
): number | null {
  if (attempt >= MAX_ATTEMPTS) return null;
  const base = RETRY_SCHEDULE_MS[attempt]! * (options.scale ?? 1);
  const jittered = base * (1 - JITTER + 2 * JITTER * (options.random ?? Math.random)());
  return Math.round(Math.max(jittered, options.retryAfterMs ?? 0));
}

/** The retry scale configured for this worker: `WEBHOOK_RETRY_SCALE`, honoured only in development mode. */
export function retryScale(env: { PATHLIGHT_ENV?: string; WEBHOOK_RETRY_SCALE?: string }): number {
  if (env.PATHLIGHT_ENV !== "development") return 1;
  const n = Number(env.WEBHOOK_RETRY_SCALE ?? "1");
  return Number.isFinite(n) && n > 0 && n <= 1 ? n : 1;
}
