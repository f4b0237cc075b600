import { parseRetryAfter } from "./retry-policy";

/** How long one webhook request may take. */
export const WEBHOOK_TIMEOUT_MS = 15_000;

/** What one HTTP attempt came to. */
export interface AttemptOutcome {
  /** HTTP status, or null for a network error or timeout. */
  status: number | null;
  latencyMs: number;
  /** Why it failed (network error, timeout, a non-2xx status and its body's length — never its text), or null. */
  error: string | null;
  /** The receiver's `Retry-After`, in ms, if it sent one. */
  retryAfterMs: number | null;
}

/**
 * Sends one webhook request (POST unless the subscription chose another method). Redirects are not followed (a 3xx is a
 * failure), so a target cannot bounce deliveries elsewhere.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
  method = "POST",
): Promise<AttemptOutcome> {
  const started = Date.now();
  // A timer cleared as soon as the request settles (AbortSignal.timeout would keep
  // one alive per request for the full timeout, and an alarm may send thousands).
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { method, body, headers, redirect: "manual", signal: abort.signal });
    const ok = res.status >= 200 && res.status < 300;
    let error: string | null = null;
    // Read to its end (a 2xx body is usually a few bytes), not cancelled: a body cancelled before its end
    // closes the connection, and the next request to the receiver opens a new one.
    const length = await bodyLength(res);
    if (!ok) error = `HTTP ${res.status}${length}`;
    return {
      status: res.status,
      latencyMs: Date.now() - started,
      error,
      retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), Date.now()),
    };
  } catch (err) {
    const timedOut = abort.signal.aborted;
    return {
      status: null,
      latencyMs: Date.now() - started,
      error: timedOut ? `timed out after ${timeoutMs} ms` : `network error: ${String((err as Error)?.message ?? err)}`,
      retryAfterMs: null,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** How many bytes a failed response is read for its length; past it the length is given as "more than". */
const MEASURED_BODY_BYTES = 64 * 1024;

/**
 * The length of a failed response's body, never its text: the log is readable
 * by the subscription's owner, and the target may be an internal service
 * (development mode allows private addresses) whose answers they must not read.
 */
async function bodyLength(res: Response): Promise<string> {
  if (!res.body) return "";
  // A declared small body (the usual "ok") is read in one call.
  const declared = res.headers.get("content-length");
  if (declared !== null && Number(declared) <= MEASURED_BODY_BYTES)
    try {
      const bytes = (await res.arrayBuffer()).byteLength;
      return bytes ? ` (response body of ${bytes} bytes, not stored)` : "";
    } catch {
      return "";
    }
  const reader = res.body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MEASURED_BODY_BYTES) {
        await reader.cancel();
        return ` (response body of more than ${MEASURED_BODY_BYTES} bytes, not stored)`;
      }
    }
  } catch {
    return "";
  }
  return bytes ? ` (response body of ${bytes} bytes, not stored)` : "";
}
