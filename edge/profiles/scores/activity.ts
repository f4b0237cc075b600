/**
 * # Activity state
 *
 * The compact aggregate of a profile's events that the behavioral scores
 * (`formulas.ts`) are computed from. It never holds events, only:
 *
 * - events per UTC day over the last {@link ACTIVITY_WINDOW_DAYS} days
 *   (counted back from the latest day with an event; older days are dropped),
 * - lifetime totals: events, sessions and the summed duration of sessions,
 * - the session in progress (start and last event), to extend or close it,
 * - first and last seen.
 *
 * Its size is bounded whatever the history: at most {@link ACTIVITY_WINDOW_DAYS}
 * day entries plus a fixed number of numbers. It is plain JSON
 * (`JSON.stringify` it; {@link parseActivity} reads it back and checks it).
 *
 * Functions here are pure: they return a new state and never change their input.
 */

/** Days of per-day counts kept, counted back from the latest day with an event. */
export const ACTIVITY_WINDOW_DAYS = 90;

/** A session ends after this long without an event (the tag's session rule). */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** Milliseconds in a day. Days are UTC days: `Math.floor(ts / DAY_MS)`. */
export const DAY_MS = 86_400_000;

/** The session in progress: when it started and its latest event. */
export interface OpenSession {
  /** Epoch ms of the session's first event. */
  start: number;
  /** Epoch ms of the session's latest event. */
  last: number;
}

/** A profile's activity aggregates (JSON-serializable). */
export interface ActivityState {
  /** Format version, for later migrations. */
  v: 1;
  /** Epoch ms of the earliest event, null before the first event. */
  firstSeen: number | null;
  /** Epoch ms of the latest event, null before the first event. */
  lastSeen: number | null;
  /** Events recorded over the whole lifetime. */
  events: number;
  /** Sessions over the whole lifetime. */
  sessions: number;
  /** Summed duration (ms, first to last event) of the sessions already closed. */
  closedSessionMs: number;
  /** The session in progress, null before the first event. */
  current: OpenSession | null;
  /**
   * `[utcDay, events]` pairs, ascending by day, only days with events, only the
   * last {@link ACTIVITY_WINDOW_DAYS} days up to the latest day with an event.
   */
  days: [day: number, events: number][];
}

/** One event as the activity state sees it. */
export interface ActivityEvent {
  /** When the event happened, epoch milliseconds. */
  ts: number;
  /** The tag's `_sesstart` flag: this event opens a new session. */
  sessionStart?: boolean;
}

/** The UTC day number of an epoch-ms time. */
export function dayOf(ts: number): number {
  return Math.floor(ts / DAY_MS);
}

/** The state of a profile with no events yet. */
export function emptyActivity(): ActivityState {
  return {
    v: 1,
    firstSeen: null,
    lastSeen: null,
    events: 0,
    sessions: 0,
    closedSessionMs: 0,
    current: null,
    days: [],
  };
}

/** Whether the state has recorded any event (scores exist only then). */
export function hasActivity(state: ActivityState): boolean {
  return state.events > 0;
}

function checkTime(ts: unknown, what: string): number {
  if (typeof ts !== "number" || !Number.isFinite(ts) || ts < 0)
    throw new RangeError(`${what} must be a non-negative finite epoch-milliseconds number, got ${String(ts)}`);
  return ts;
}

/** Adds `count` events on `day` to sorted `days` and drops days outside the window ending at `lastDay`. */
function addDay(days: [number, number][], day: number, count: number, lastDay: number): [number, number][] {
  const oldest = lastDay - ACTIVITY_WINDOW_DAYS + 1;
  const out: [number, number][] = [];
  let placed = day < oldest;
  for (const [d, c] of days) {
    if (d < oldest) continue;
    if (!placed && day <= d) {
      if (day === d) {
        out.push([d, c + count]);
        placed = true;
        continue;
      }
      out.push([day, count]);
      placed = true;
    }
    out.push([d, c]);
  }
  if (!placed) out.push([day, count]);
  return out;
}

/**
 * Records one event. A new session starts on the event's `sessionStart` flag
 * (the tag's `_sesstart`), on the first event, or after
 * {@link SESSION_TIMEOUT_MS} without an event. An event older than the session
 * in progress (delivered late) counts toward events and its day, and opens a
 * session of its own only if it carries `sessionStart`.
 *
 * @throws RangeError when `ts` is not a non-negative finite number.
 */
export function recordEvent(state: ActivityState, event: ActivityEvent): ActivityState {
  const ts = checkTime(event.ts, "event ts");
  const lastSeen = state.lastSeen === null ? ts : Math.max(state.lastSeen, ts);
  const next: ActivityState = {
    ...state,
    firstSeen: state.firstSeen === null ? ts : Math.min(state.firstSeen, ts),
    lastSeen,
    events: state.events + 1,
    days: addDay(state.days, dayOf(ts), 1, dayOf(lastSeen)),
  };
  const cur = state.current;
  if (cur === null) {
    next.sessions = state.sessions + 1;
    next.current = { start: ts, last: ts };
  } else if (ts < cur.start) {
    // Late: belongs to an earlier session, which it may open on its own.
    if (event.sessionStart) next.sessions = state.sessions + 1;
  } else if (event.sessionStart || ts - cur.last > SESSION_TIMEOUT_MS) {
    next.sessions = state.sessions + 1;
    next.closedSessionMs = state.closedSessionMs + (cur.last - cur.start);
    next.current = { start: ts, last: ts };
  } else if (ts > cur.last) {
    next.current = { start: cur.start, last: ts };
  }
  return next;
}

/**
 * Combines the activity of two profiles being merged into one: totals add up,
 * per-day counts add up day by day (kept within the window of the later
 * profile), first seen is the earlier and last seen the later. The session in
 * progress is the one with the later last event; the other counts as closed.
 *
 * Symmetric (`mergeActivity(a, b)` equals `mergeActivity(b, a)`), but not
 * idempotent: merge a profile's activity once (the profile merge records which
 * profiles it absorbed).
 */
export function mergeActivity(a: ActivityState, b: ActivityState): ActivityState {
  if (!hasActivity(b)) return a;
  if (!hasActivity(a)) return b;
  const lastSeen = Math.max(a.lastSeen!, b.lastSeen!);
  const counts = new Map<number, number>();
  for (const [d, c] of [...a.days, ...b.days]) counts.set(d, (counts.get(d) ?? 0) + c);
  const oldest = dayOf(lastSeen) - ACTIVITY_WINDOW_DAYS + 1;
  const days = [...counts].filter(([d]) => d >= oldest).sort((x, y) => x[0] - y[0]);
  // The open session with the later last event (ties: the later start, then the longer) stays open.
  const [open, other] = laterSession(a.current!, b.current!);
  return {
    v: 1,
    firstSeen: Math.min(a.firstSeen!, b.firstSeen!),
    lastSeen,
    events: a.events + b.events,
    sessions: a.sessions + b.sessions,
    closedSessionMs: a.closedSessionMs + b.closedSessionMs + (other.last - other.start),
    current: { ...open },
    days,
  };
}

function laterSession(x: OpenSession, y: OpenSession): [OpenSession, OpenSession] {
  if (x.last !== y.last) return x.last > y.last ? [x, y] : [y, x];
  if (x.start !== y.start) return x.start > y.start ? [x, y] : [y, x];
  return [x, y];
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function isTime(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

/**
 * Reads a stored activity state (the parsed JSON of an {@link ActivityState}),
 * checking every field, so a damaged value is refused rather than scored.
 *
 * @throws TypeError naming the first invalid field.
 */
export function parseActivity(value: unknown): ActivityState {
  const fail = (field: string): never => {
    throw new TypeError(`activity state: invalid ${field}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("value (not an object)");
  const o = value as Record<string, unknown>;
  if (o.v !== 1) fail("v (unknown version)");
  if (!isCount(o.events)) fail("events");
  if (!isCount(o.sessions)) fail("sessions");
  if (!isTime(o.closedSessionMs)) fail("closedSessionMs");
  const empty = o.events === 0;
  if (empty ? o.sessions !== 0 || o.closedSessionMs !== 0 : (o.sessions as number) < 1)
    fail("sessions (do not match events)");
  for (const key of ["firstSeen", "lastSeen"] as const) {
    if (empty ? o[key] !== null : !isTime(o[key])) fail(key);
  }
  let current: OpenSession | null = null;
  if (empty) {
    if (o.current !== null) fail("current");
  } else {
    const c = o.current as Record<string, unknown> | null;
    if (typeof c !== "object" || c === null || !isTime(c.start) || !isTime(c.last) || c.last < c.start) fail("current");
    current = { start: c!.start as number, last: c!.last as number };
  }
  if (!Array.isArray(o.days) || o.days.length > ACTIVITY_WINDOW_DAYS) fail("days");
  const days: [number, number][] = [];
  for (const entry of o.days as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2 || !isCount(entry[0]) || !isCount(entry[1]) || entry[1] === 0)
      fail("days entry");
    const [d, c] = entry as [number, number];
    if (days.length && d <= days[days.length - 1]![0]) fail("days order");
    days.push([d, c]);
  }
  if (!empty) {
    if ((o.firstSeen as number) > (o.lastSeen as number)) fail("firstSeen (after lastSeen)");
    const lastDay = dayOf(o.lastSeen as number);
    for (const [d] of days)
      if (d > lastDay || d <= lastDay - ACTIVITY_WINDOW_DAYS) fail("days entry (outside the window)");
  } else if (days.length) fail("days (entries before any event)");
  return {
    v: 1,
    firstSeen: o.firstSeen as number | null,
    lastSeen: o.lastSeen as number | null,
    events: o.events as number,
    sessions: o.sessions as number,
    closedSessionMs: o.closedSessionMs as number,
    current,
    days,
  };
}
