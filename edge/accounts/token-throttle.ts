import { ApiError } from "../platform/http/errors";
import { IsolateCache } from "../platform/isolate-cache";

/**
 * Throttling of token guessing, in this isolate's memory.
 *
 * Only failures count: wrong tokens from one client address, and wrong
 * tokens claiming one account (`pl_<cid>.…`), each within a fixed window.
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

/**
 * Throws 429 with `Retry-After` when the address or the claimed account is
 * throttled, unless the token (by its hash) was verified here recently.
 */
export function checkThrottle(client: string | null, cid: string | null, tokenHash: string, now = Date.now()): void {
  if (knownGood.get(tokenHash, now)) return;
  const wait =
    (client ? retryAfter(`ip:${client}`, FAILURES_PER_ADDRESS, now) : null) ??
    (cid ? retryAfter(`cid:${cid}`, FAILURES_PER_ACCOUNT, now) : null);
  if (wait !== null)
    throw new ApiError(429, "too many invalid API tokens; try again later", [], { "Retry-After": String(wait) });
}

/** Counts a wrong token against its client address and the account it claims. */
export function recordFailure(client: string | null, cid: string | null, now = Date.now()): void {
  for (const key of [client ? `ip:${client}` : null, cid ? `cid:${cid}` : null]) {
    if (!key) continue;
    const w = windows.get(key, now);
    if (w) w.failures += 1;
    else windows.set(key, { failures: 1, start: now }, THROTTLE_WINDOW_MS, now);
  }
}

/** Remembers a token (by its hash) that verified, so throttles let it through. */
export function recordSuccess(tokenHash: string, now = Date.now()): void {
  knownGood.set(tokenHash, true, KNOWN_GOOD_MS, now);
}
