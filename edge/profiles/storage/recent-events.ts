/**
 * A profile's recent events, for the console's timeline and for exports:
 * the last {@link RECENT_EVENTS} events a profile object accepted, each with
 * its type, stream, time and the fields it carried (long values cut).
 * It is what a person's timeline shows; nothing reads it on the event path.
 */
import type { CollectEvent, FieldValue } from "../../../types/wire";
import { profileFieldsOf } from "../fields/event-fields";
import { execRows } from "./multi-row";
import type { ProfileTables } from "./schema";

/** Most events a profile remembers (the oldest are dropped). */
export const RECENT_EVENTS = 50;
/**
 * Rows the table may hold past {@link RECENT_EVENTS} before it is trimmed
 * back: one trim per this many events instead of one per event. Every
 * reader asks for the newest {@link RECENT_EVENTS} (or fewer), so what a
 * reader sees is the same.
 */
export const RECENT_SLACK = 25;
/** Longest text value kept per field of a remembered event (longer ones are cut, marked with `…`). */
export const RECENT_VALUE_CHARS = 500;

/** One remembered event. */
export interface RecentEvent {
  /** Event time, epoch milliseconds. */
  at: number;
  /** Event type (`_e`, e.g. `pv`), or null. */
  type: string | null;
  /** Stream the event came in on, or null. */
  stream: string | null;
  /** The profile fields the event carried. */
  fields: Record<string, FieldValue>;
}

const cut = (value: FieldValue): FieldValue => {
  if (typeof value === "string")
    return value.length > RECENT_VALUE_CHARS ? `${value.slice(0, RECENT_VALUE_CHARS)}…` : value;
  const json = JSON.stringify(value);
  return json.length > RECENT_VALUE_CHARS ? `${json.slice(0, RECENT_VALUE_CHARS)}…` : value;
};

/** The recent-events table of one profile object. */
export class RecentEventLog {
  /** Rows stored (null: not counted yet in this object's life). */
  private rows: number | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly tables: ProfileTables,
  ) {}

  /** Remembers accepted events, each at its event time (one trim of the table for the whole batch). */
  record(accepted: readonly { event: CollectEvent; at: number }[]): void {
    if (!accepted.length) return;
    this.insert(
      accepted.map(({ event, at }) => {
        const fields: Record<string, FieldValue> = {};
        for (const [name, value] of profileFieldsOf(event)) fields[name] = cut(value);
        return {
          at,
          type: typeof event._e === "string" ? event._e : null,
          stream: typeof event._stream === "string" ? event._stream : null,
          fields,
        };
      }),
    );
  }

  /** Adds events (e.g. a merged-away profile's) and keeps the most recent. */
  insert(entries: RecentEvent[]): void {
    if (!entries.length) return;
    // A table created now holds nothing yet.
    if (this.rows === null && !this.tables.has("recent")) this.rows = 0;
    this.tables.ensure("recent");
    // One statement per 50 events; rows take sequence numbers in the order given.
    execRows(
      this.sql,
      "INSERT INTO recent (at, body)",
      "",
      entries.map((e) => [e.at, JSON.stringify(e)]),
    );
    // Counted once per object life (after this insert), then followed in memory.
    if (this.rows === null) this.rows = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM recent").one().n;
    else this.rows += entries.length;
    if (this.rows <= RECENT_EVENTS + RECENT_SLACK) return;
    this.sql.exec(
      "DELETE FROM recent WHERE seq NOT IN (SELECT seq FROM recent ORDER BY at DESC, seq DESC LIMIT ?)",
      RECENT_EVENTS,
    );
    this.rows = RECENT_EVENTS;
  }

  /** The remembered events, newest first (at most {@link RECENT_EVENTS}, whatever `limit` asks). */
  list(limit = RECENT_EVENTS): RecentEvent[] {
    if (!this.tables.has("recent")) return [];
    return this.sql
      .exec<{ body: string }>(
        "SELECT body FROM recent ORDER BY at DESC, seq DESC LIMIT ?",
        Math.min(limit, RECENT_EVENTS),
      )
      .toArray()
      .map((r) => JSON.parse(r.body) as RecentEvent);
  }
}
