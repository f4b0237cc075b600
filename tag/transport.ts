import type { Emitter } from "./emitter";
import { backoff, LEASE_MS, readOutbox, updateOutbox, type OutboxEntry } from "./outbox";

/** Largest request body sent at once; keepalive/beacon quotas are 64 KiB per page. */
export const CHUNK_BYTES = 60_000;

type Done = (event: Record<string, unknown>) => void;

/** Splits entries into request bodies of at most CHUNK_BYTES each, per stream. */
export function chunk(entries: OutboxEntry[]): [string, OutboxEntry[], string][] {
  const out: [string, OutboxEntry[], string][] = [];
  const streams = [...new Set(entries.map((e) => e.s))];
  for (const stream of streams) {
    let batch: OutboxEntry[] = [];
    const push = () => batch.length && out.push([stream, batch, JSON.stringify(batch.map((e) => e.e))]);
    let size = 2;
    for (const entry of entries) {
      if (entry.s !== stream) continue;
      const n = JSON.stringify(entry.e).length + 1;
      if (batch.length && size + n > CHUNK_BYTES) {
        push();
        batch = [];
        size = 2;
      }
      batch.push(entry);
      size += n;
    }
    push();
  }
  return out;
}

/**
 * Delivers events: batches calls made within `batchMs`, writes every event
 * to the shared outbox before sending (so it survives unloads and failed
 * sends), retries failures with backoff, lets one tab at a time drain what
 * other pages left, and flushes with `sendBeacon` on `pagehide`.
 */
export function createTransport(
  endpoint: (stream: string) => string,
  batchMs: number,
  canSend: () => boolean,
  emitter: Emitter,
) {
  let pending: OutboxEntry[] = [];
  const callbacks: Record<string, Done> = {};
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let retryTimer: ReturnType<typeof setTimeout> | 0 = 0;
  let inflight: Promise<unknown> = Promise.resolve();

  const deliver = (entries: OutboxEntry[]): Promise<unknown> =>
    Promise.all(
      chunk(entries).map(async ([stream, batch, body]) => {
        let ok = false;
        try {
          const res = await fetch(endpoint(stream), {
            method: "POST",
            body,
            headers: { "content-type": "text/plain" },
            keepalive: true,
          });
          // 4xx other than 408/429 will never succeed: drop instead of retrying forever.
          ok = res.ok || (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
        } catch {}
        const ids = new Set(batch.map((e) => e.i));
        if (ok) {
          updateOutbox((list) => list.filter((e) => !ids.has(e.i)));
          for (const e of batch) {
            emitter.emit("send.finished", e.e);
            callbacks[e.i]?.(e.e);
            delete callbacks[e.i];
          }
        } else {
          const now = Date.now();
          updateOutbox((list) => list.map((e) => (ids.has(e.i) ? { ...e, a: e.a + 1, n: now + backoff(e.a) } : e)));
          emitter.emit(
            "send.failed",
            batch.map((e) => e.e),
          );
          scheduleRetry();
        }
      }),
    );

  const flush = (): Promise<unknown> => {
    clearTimeout(timer);
    timer = 0;
    if (canSend() && pending.length) {
      const batch = pending;
      pending = [];
      inflight = Promise.all([inflight, deliver(batch)]);
    }
    return inflight;
  };

  /** Retries entries whose time has come, one tab at a time. */
  const drain = (): void => {
    if (!canSend()) return;
    const run = () => {
      const now = Date.now();
      const due = readOutbox().filter((e) => e.n <= now && !pending.some((p) => p.i === e.i));
      if (!due.length) return;
      const ids = new Set(due.map((e) => e.i));
      updateOutbox((list) => list.map((e) => (ids.has(e.i) ? { ...e, n: now + LEASE_MS } : e)));
      inflight = Promise.all([inflight, deliver(due)]);
      return inflight;
    };
    const locks = navigator.locks;
    if (locks) locks.request("pl_outbox", { ifAvailable: true }, (lock) => lock && run());
    else run();
  };

  function scheduleRetry(): void {
    const next = Math.min(...readOutbox().map((e) => e.n));
    if (!isFinite(next)) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(drain, Math.max(0, next - Date.now()) + 50);
  }

  addEventListener("online", drain);
  addEventListener("pagehide", () => {
    if (!canSend() || !pending.length) return;
    const batch = pending;
    pending = [];
    for (const [stream, entries, body] of chunk(batch)) {
      // Beacon accepted: the browser delivers it; otherwise it stays in the outbox for the next page.
      if (navigator.sendBeacon?.(endpoint(stream), body)) {
        const ids = new Set(entries.map((e) => e.i));
        updateOutbox((list) => list.filter((e) => !ids.has(e.i)));
      }
    }
  });

  return {
    /** Queues an event for the next batch; `done` runs once it is delivered. */
    add(entry: OutboxEntry, done?: Done): void {
      updateOutbox((list) => [...list, entry]);
      pending.push(entry);
      if (done) callbacks[entry.i] = done;
      if (!timer) timer = setTimeout(flush, batchMs);
    },
    flush,
    drain,
    scheduleRetry,
    /** Forgets everything queued (opt-out). */
    clear(): void {
      pending = [];
      updateOutbox(() => []);
    },
  };
}

export type Transport = ReturnType<typeof createTransport>;
