import { parseRetryAfter } from "./retry-policy";

/** How long one webhook request may take. */
export const WEBHOOK_TIMEOUT_MS = 15_000;

/** What one HTTP attempt came to. */
export interface AttemptOutcome {
  /** HTTP status, or null for a network error or timeout. */
  status: number | null;
  latencyMs: number;
  /** Why it failed (network error, timeout, start of a non-2xx body), or null. */
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
    if (ok) await res.body?.cancel();
    else error = `HTTP ${res.status}${await snippet(res)}`;
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

async function snippet(res: Response): Promise<string> {
  try {
    const text = (await res.text()).trim().slice(0, 200);
    return text ? `: ${text}` : "";
  } catch {
    return "";
  }
}
