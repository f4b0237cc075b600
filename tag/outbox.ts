import { getJSON, setJSON } from "./storage";

/** One event waiting to be delivered. */
export interface OutboxEntry {
  /** Event id (the edge deduplicates on it). */
  i: string;
  /** Stream. */
  s: string;
  /** The event. */
  e: Record<string, unknown>;
  /** Earliest time (ms) anyone may (re)send it: a lease while in flight, the backoff after a failure. */
  n: number;
  /** Failed attempts so far. */
  a: number;
}

const KEY = "_pl_outbox";
/** Most events kept; the oldest are dropped beyond it. */
export const OUTBOX_LIMIT = 300;
/** How long a sender holds an entry before another tab or page may retry it. */
export const LEASE_MS = 30_000;

/** Reads the outbox shared by every tab of the site. */
export const readOutbox = (): OutboxEntry[] => getJSON<OutboxEntry[]>(KEY, []);

/**
 * One write of the shared outbox: drops the entries named in `remove` and
 * puts `upsert` in place of (or after) the stored entries with the same ids,
 * keeping what other tabs stored. Bounded to the newest OUTBOX_LIMIT.
 */
export function writeOutbox(remove: readonly OutboxEntry[], upsert: readonly OutboxEntry[]): void {
  const ids = new Set([...remove, ...upsert].map((e) => e.i));
  setJSON(KEY, [...readOutbox().filter((e) => !ids.has(e.i)), ...upsert].slice(-OUTBOX_LIMIT));
}

/** Empties the shared outbox (opt-out). */
export const clearOutbox = (): void => setJSON(KEY, []);

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at 5 minutes. */
export const backoff = (attempts: number): number =>
  Math.min(300_000, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
