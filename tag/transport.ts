import type { Entity } from "../types/wire";
import type { Emitter } from "./emitter";
import { backoff, clearOutbox, LEASE_MS, readOutbox, writeOutbox, type OutboxEntry } from "./outbox";

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
 * Delivers events: batches calls made within `batchMs`, retries failures
 * with backoff, lets one tab at a time drain what other pages left, and
 * flushes with `sendBeacon` on `pagehide`, after `beforeHide` (which may
 * still queue events, e.g. a page view not yet built) has run.
 *
 * The outbox lives in memory while the page is up; the shared localStorage
 * outbox is written only when an event cannot be delivered right now: a
 * failed batch (one write per batch, with its backoff), the page hiding with
 * events queued or in flight (one write), and the removal of stored entries
 * once a retry delivers them. A batch delivered at the first attempt costs
 * no storage write at all. Delivery is at least once: the edge deduplicates
 * on the event id.
 */
export function createTransport(
  endpoint: (stream: string) => string,
  batchMs: number,
  canSend: () => boolean,
  emitter: Emitter,
  beforeHide: () => void,
) {
  let pending: OutboxEntry[] = [];
  const callbacks: Record<string, Done> = {};
  /** Entries being sent, by id. */
  const flying = new Map<string, OutboxEntry>();
  /** Ids of this page's entries that are in the stored outbox. */
  const stored = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let retryTimer: ReturnType<typeof setTimeout> | 0 = 0;
  let inflight: Promise<unknown> = Promise.resolve();

  const write = (remove: OutboxEntry[], upsert: OutboxEntry[]) => {
    writeOutbox(remove, upsert);
    for (const e of remove) stored.delete(e.i);
    for (const e of upsert) stored.add(e.i);
  };

  /**
   * Sends entries; with `entityFor` (the visitor's id) a batch that fits one
   * request and whose last event carries that id asks collect for the
   * visitor's entity too (`?_entity=1`): the answer resolves with it.
   */
  const deliver = (entries: OutboxEntry[], entityFor?: string): Promise<(Entity | undefined)[]> => {
    for (const e of entries) flying.set(e.i, e);
    const chunks = chunk(entries);
    return Promise.all(
      chunks.map(async ([stream, batch, body]) => {
        let ok = false;
        let entity: Entity | undefined;
        const ask = !!entityFor && chunks.length === 1 && batch[batch.length - 1]!.e._uid === entityFor;
        try {
          // A string body is sent as text/plain (no preflight, no Headers object to build).
          const res = await fetch(ask ? `${endpoint(stream)}?_entity=1` : endpoint(stream), {
            method: "POST",
            body,
            keepalive: true,
          });
          // 4xx other than 408/429 will never succeed: drop instead of retrying forever.
          ok = res.ok || (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
          if (ask && res.ok) entity = ((await res.json()) as { entity?: Entity }).entity;
        } catch {}
        for (const e of batch) flying.delete(e.i);
        if (ok) {
          const kept = batch.filter((e) => stored.has(e.i));
          if (kept.length) write(kept, []);
          for (const e of batch) {
            emitter.emit("send.finished", e.e);
            callbacks[e.i]?.(e.e);
            delete callbacks[e.i];
          }
        } else {
          const now = Date.now();
          write(
            [],
            batch.map((e) => ({ ...e, a: e.a + 1, n: now + backoff(e.a) })),
          );
          emitter.emit(
            "send.failed",
            batch.map((e) => e.e),
          );
          scheduleRetry();
        }
        return entity;
      }),
    );
  };

  /** Sends what is queued; resolves once everything sent so far has settled, with the entity `entityFor` asked for. */
  const flush = async (entityFor?: string): Promise<Entity | undefined> => {
    clearTimeout(timer);
    timer = 0;
    let sent: Promise<(Entity | undefined)[]> | undefined;
    if (canSend() && pending.length) {
      const batch = pending;
      pending = [];
      sent = deliver(batch, entityFor);
      inflight = Promise.all([inflight, sent]);
    }
    await inflight;
    return (await sent)?.[0];
  };

  /** Retries stored entries whose time has come, one tab at a time. */
  const drain = (): void => {
    const due = (now: number) => readOutbox().filter((e) => e.n <= now && !flying.has(e.i));
    // Nothing due (the common case): no lock requested.
    if (!canSend() || !due(Date.now()).length) return;
    const run = () => {
      const now = Date.now();
      const entries = due(now);
      if (!entries.length) return;
      const leased = entries.map((e) => ({ ...e, n: now + LEASE_MS }));
      write([], leased);
      inflight = Promise.all([inflight, deliver(leased)]);
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
    beforeHide();
    const left: OutboxEntry[] = [];
    for (const [stream, entries, body] of chunk(pending)) {
      // A beacon the browser accepted is delivered by the browser.
      if (!(canSend() && navigator.sendBeacon?.(endpoint(stream), body))) left.push(...entries);
    }
    pending = [];
    // What may not arrive (held, refused beacons, requests in flight) waits in the stored outbox for the next page.
    const lease = Date.now() + LEASE_MS;
    const keep = [...left, ...[...flying.values()].filter((e) => !stored.has(e.i)).map((e) => ({ ...e, n: lease }))];
    if (keep.length) write([], keep);
  });

  return {
    /** Queues an event for the next batch; `done` runs once it is delivered. */
    add(entry: OutboxEntry, done?: Done): void {
      pending.push(entry);
      if (done) callbacks[entry.i] = done;
      if (!timer) timer = setTimeout(() => flush(), batchMs);
    },
    flush,
    drain,
    scheduleRetry,
    /** Forgets everything queued (opt-out). */
    clear(): void {
      pending = [];
      stored.clear();
      clearOutbox();
    },
  };
}

export type Transport = ReturnType<typeof createTransport>;
