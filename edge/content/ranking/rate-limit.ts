/**
 * The per-account request budget of the recommendation API (default 250
 * requests per second), counted across isolates by leasing.
 *
 * ## Design
 *
 * Time is cut into aligned windows of `WINDOW_MS` (1 s). One counter
 * object per account (a Durable Object, single-threaded) holds a
 * `BudgetCounter`: how many tokens it has leased in the current window.
 * Each isolate keeps a `LocalBudget` and admits a request when it holds a
 * token of the current window; when it holds none it asks the counter for
 * a lease of `leaseSize(rate)` tokens (10 at 250/s). The counter grants at
 * most what is left of the window's budget, and less as the budget runs
 * out (`grantLease`: at most ⌈left / 8⌉), so the last tokens spread over
 * the isolates that still ask. A lease is valid until the end of its
 * window; a grant of 0 tokens makes the isolate deny (429, `Retry-After`
 * = seconds to the end of the window, at least 1) without asking again in
 * that window.
 *
 * ## Bound
 *
 * The tokens leased in one window never exceed `rate`, and every admitted
 * request spends one leased token of that window. So, whatever the number
 * of isolates N:
 * - in every aligned 1-s window at most `rate` requests are admitted
 *   (factor 1);
 * - in any 1-s interval, aligned or not, at most 2 × `rate` (the end of
 *   one window and the start of the next): the documented factor is 2;
 * - isolates read window ends on their own clock corrected by the offset
 *   seen when the lease arrives (`acceptLease`), so clock skew does not
 *   matter; the reply's latency δ can move an isolate's window end up to
 *   δ late, which shifts admissions by δ and stays within the factor 2.
 *
 * The price is under-admission: leased tokens an isolate does not use by
 * the end of the window are lost, at most N × (lease − 1) per window (less
 * near the end of the budget, where grants shrink). Counter calls: about
 * one per `leaseSize` admitted requests per isolate (25 per second at the
 * default), plus at most one per isolate per window once the budget is
 * spent. If the counter cannot be reached the caller may fall back to a
 * per-isolate bucket of `rate`, where the bound becomes N × `rate`; that
 * fallback is the caller's choice and must be documented with it.
 */
import type { BudgetCounter, BudgetLease, LocalBudget } from "../contract";

/** Length of a budget window. */
export const WINDOW_MS = 1000;
/** Requests per second when the account sets no limit. */
export const DEFAULT_RATE = 250;

/** Start of the window holding `now`. */
export const windowOf = (now: number): number => Math.floor(now / WINDOW_MS) * WINDOW_MS;

/** Tokens an isolate asks for at once: ⌈rate / 25⌉, between 1 and 100. */
export const leaseSize = (rate: number): number => Math.min(100, Math.max(1, Math.ceil(rate / 25)));

/** A counter that has leased nothing. */
export const emptyCounter = (): BudgetCounter => ({ window: 0, leased: 0 });

/**
 * The counter's answer to a request for `want` tokens at `now` (its own
 * clock): at most `want`, what is left of `rate` in the window, and
 * ⌈left / 8⌉. Returns the new counter state and the lease.
 */
export function grantLease(
  counter: BudgetCounter,
  want: number,
  rate: number,
  now: number,
): { counter: BudgetCounter; lease: BudgetLease } {
  const window = windowOf(now);
  const leased = counter.window === window ? counter.leased : 0;
  const left = Math.max(0, Math.floor(rate) - leased);
  const tokens = Math.max(0, Math.min(Math.floor(want), left, Math.ceil(left / 8)));
  return { counter: { window, leased: leased + tokens }, lease: { tokens, until: window + WINDOW_MS, now } };
}

/** An isolate's budget before its first lease. */
export const emptyLocalBudget = (): LocalBudget => ({ tokens: 0, until: 0, window: 0, spent: false });

/** What to do with a request. */
export type BudgetDecision =
  | { decision: "allow"; local: LocalBudget }
  | { decision: "lease"; local: LocalBudget }
  | { decision: "deny"; local: LocalBudget; retryAfter: number };

/** Seconds until `until` for `Retry-After`, at least 1. */
export const retryAfterSeconds = (until: number, now: number): number => Math.max(1, Math.ceil((until - now) / 1000));

/**
 * Takes a token for a request at `now`: `allow` (spent one), `deny` (the
 * window's budget is spent: answer 429 with `retryAfter`), or `lease`
 * (ask the counter, `acceptLease`, then take again).
 */
export function takeToken(local: LocalBudget, now: number): BudgetDecision {
  if (now >= local.until) return { decision: "lease", local: emptyLocalBudget() };
  if (local.tokens >= 1) return { decision: "allow", local: { ...local, tokens: local.tokens - 1 } };
  if (local.spent) return { decision: "deny", local, retryAfter: retryAfterSeconds(local.until, now) };
  return { decision: "lease", local };
}

/**
 * The isolate's budget after a lease from the counter, received at `now`
 * (the isolate's clock). The window end is moved to the isolate's clock
 * by the offset between the two clocks seen at receipt, so skewed
 * isolates keep the counter's windows (late by at most the reply's
 * latency). Tokens of the same window add up; a lease of an older window
 * than the one held is ignored.
 */
export function acceptLease(local: LocalBudget, lease: BudgetLease, now: number): LocalBudget {
  if (lease.until < local.window) return local;
  const until = lease.until + (now - lease.now);
  const carried = local.window === lease.until ? local.tokens : 0;
  return { tokens: carried + lease.tokens, until, window: lease.until, spent: lease.tokens === 0 };
}
