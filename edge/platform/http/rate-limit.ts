import { ApiError } from "./errors";

/**
 * Token buckets per account, in this isolate's memory: `rate` requests per
 * second with a burst of one second's worth. Each worker isolate enforces
 * its own buckets, so the account-wide ceiling is the limit times the
 * number of isolates serving the account; that is the documented meaning.
 */
const buckets = new Map<string, { tokens: number; at: number }>();

/** Takes one token for `key` or throws 429 with `Retry-After`. */
export function takeToken(key: string, rate: number, now = Date.now()): void {
  const b = buckets.get(key) ?? { tokens: rate, at: now };
  b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
  b.at = now;
  if (b.tokens < 1) {
    buckets.set(key, b);
    const wait = Math.max(1, Math.ceil((1 - b.tokens) / rate));
    throw new ApiError(429, `rate limit of ${rate} requests per second exceeded`, [], { "Retry-After": String(wait) });
  }
  b.tokens -= 1;
  buckets.set(key, b);
  if (buckets.size > 50_000) buckets.clear();
}
