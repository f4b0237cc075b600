import { ApiError } from "../../platform/http/errors";
import { IsolateCache } from "../../platform/isolate-cache";

/**
 * Throttling of token guessing, in this isolate's memory.
 *
 * Only failures count: wrong tokens from one client address, and wrong
 * tokens claiming one account (`pl_<cid>.…`), each within a fixed window.
 * A token being verified counts as a failure until it verifies, so a burst
 * sent at once is throttled like one sent in turn.
 * Past a limit, tokens from that address (or for that account) are answered
 * 429 with `Retry-After` without being checked, except a token this isolate
 * verified within {@link KNOWN_GOOD_MS}: so an attacker cannot lock a real
 * token's owner out, and the owner's own valid token never counts.
 */

/** Length of a throttling window. */
export const THROTTLE_WINDOW_MS = 10_000;
/** Wrong tokens one client address may send per window. */
export const FAILURES_PER_ADDRESS = 20;
/** Wrong tokens claiming one account (from every address) per window. */
export const FAILURES_PER_ACCOUNT = 100;
/** How long a token verified in this isolate passes a throttle (it is still verified). */
export const KNOWN_GOOD_MS = 60 * 60_000;

interface Window {
  failures: number;
  start: number;
}

const windows = new IsolateCache<Window>(THROTTLE_WINDOW_MS, 50_000);
const knownGood = new IsolateCache<true>(KNOWN_GOOD_MS, 50_000);

function retryAfter(key: string, limit: number, now: number): number | null {
  const w = windows.get(key, now);
  if (!w || w.failures < limit) return null;
  return Math.max(1, Math.ceil((w.start + THROTTLE_WINDOW_MS - now) / 1000));
}

/** What {@link checkThrottle} answers: report the verification's outcome with it. */
export interface ThrottleTicket {
  /** The token verified: it is remembered, and its provisional failure taken back. */
  succeeded(): void;
  /** The token was wrong: its provisional failure stands. */
  failed(): void;
}

const keysOf = (client: string | null, cid: string | null) =>
  [client ? `ip:${client}` : null, cid ? `cid:${cid}` : null].filter((k): k is string => k !== null);

function count(keys: string[], delta: number, now: number): void {
  for (const key of keys) {
    const w = windows.get(key, now);
    if (w) w.failures = Math.max(0, w.failures + delta);
    else if (delta > 0) windows.set(key, { failures: delta, start: now }, THROTTLE_WINDOW_MS, now);
  }
}

/**
 * Throws 429 with `Retry-After` when the address or the claimed account is
 * throttled, unless the token (by its hash) was verified here recently.
 * Otherwise counts the token as a failure until the returned ticket says it
 * verified: requests in flight count, so a concurrent burst cannot slip
 * past the limit before its first failures are recorded.
 */
export function checkThrottle(
  client: string | null,
  cid: string | null,
  tokenHash: string,
  now = Date.now(),
): ThrottleTicket {
  if (knownGood.get(tokenHash, now)) return { succeeded: () => recordSuccess(tokenHash), failed: () => {} };
  const wait =
    (client ? retryAfter(`ip:${client}`, FAILURES_PER_ADDRESS, now) : null) ??
    (cid ? retryAfter(`cid:${cid}`, FAILURES_PER_ACCOUNT, now) : null);
  if (wait !== null)
    throw new ApiError(429, "too many invalid API tokens; try again later", [], { "Retry-After": String(wait) });
  const keys = keysOf(client, cid);
  count(keys, 1, now);
  return {
    succeeded: () => {
      recordSuccess(tokenHash);
      count(keys, -1, Date.now());
    },
    failed: () => {},
  };
}

/** Remembers a token (by its hash) that verified, so throttles let it through. */
export function recordSuccess(tokenHash: string, now = Date.now()): void {
  knownGood.set(tokenHash, true, KNOWN_GOOD_MS, now);
}
