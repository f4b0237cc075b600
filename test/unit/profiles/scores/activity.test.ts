import { describe, expect, it } from "vitest";
import {
  ACTIVITY_WINDOW_DAYS,
  type ActivityState,
  computeScores,
  DAY_MS,
  dayOf,
  emptyActivity,
  mergeActivity,
  parseActivity,
  recordEvent,
} from "../../../../edge/profiles/scores/index";
import { prng } from "../../segmentql/gen";
import { at, history, MINUTE, onDays, range, T0 } from "./histories";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("sessions", () => {
  it("the first event opens a session and events less than 30 minutes apart stay in it", () => {
    let s = emptyActivity();
    for (let i = 0; i < 5; i++) s = recordEvent(s, { ts: T0 + i * 29 * MINUTE });
    expect(s.sessions).toBe(1);
    expect(s.events).toBe(5);
    expect(s.current).toEqual({ start: T0, last: T0 + 4 * 29 * MINUTE });
  });

  it("the tag's _sesstart flag opens a new session even within 30 minutes", () => {
    let s = recordEvent(emptyActivity(), { ts: T0, sessionStart: true });
    s = recordEvent(s, { ts: T0 + 5 * MINUTE });
    s = recordEvent(s, { ts: T0 + 6 * MINUTE, sessionStart: true });
    expect(s.sessions).toBe(2);
    expect(s.closedSessionMs).toBe(5 * MINUTE);
    expect(s.current).toEqual({ start: T0 + 6 * MINUTE, last: T0 + 6 * MINUTE });
  });

  it("more than 30 minutes without an event closes the session (server events carry no flag)", () => {
    let s = recordEvent(emptyActivity(), { ts: T0 });
    s = recordEvent(s, { ts: T0 + 10 * MINUTE });
    s = recordEvent(s, { ts: T0 + 41 * MINUTE });
    expect(s.sessions).toBe(2);
    expect(s.closedSessionMs).toBe(10 * MINUTE);
    s = recordEvent(s, { ts: T0 + 71 * MINUTE }); // exactly 30 minutes later: same session
    expect(s.sessions).toBe(2);
  });

  it("a late event counts toward events, its day and first seen, and opens a session only if flagged", () => {
    let s = recordEvent(emptyActivity(), { ts: at(5) });
    s = recordEvent(s, { ts: at(3) });
    expect(s).toMatchObject({ events: 2, sessions: 1, firstSeen: at(3), lastSeen: at(5) });
    expect(s.current).toEqual({ start: at(5), last: at(5) });
    s = recordEvent(s, { ts: at(2), sessionStart: true });
    expect(s).toMatchObject({ events: 3, sessions: 2, firstSeen: at(2) });
    expect(s.days).toEqual([
      [dayOf(at(2)), 1],
      [dayOf(at(3)), 1],
      [dayOf(at(5)), 1],
    ]);
  });
});

describe("per-day counts", () => {
  it("count events per UTC day", () => {
    const s = history([
      { day: 0.5, events: 4 },
      { day: 0.99, events: 1 },
      { day: 1 + 1 / 24, events: 2 },
    ]);
    expect(s.days).toEqual([
      [dayOf(T0), 5],
      [dayOf(T0) + 1, 2],
    ]);
  });

  it("keep only the last 90 days up to the latest event; older events still count in the totals", () => {
    let s = history(onDays([0, 10, 95, 100]));
    expect(s.days.map(([d]) => d - dayOf(T0))).toEqual([95, 100]);
    expect(s.events).toBe(12);
    s = recordEvent(s, { ts: at(1) }); // 99 days before the latest: outside the window
    expect(s.days.map(([d]) => d - dayOf(T0))).toEqual([95, 100]);
    expect(s).toMatchObject({ events: 13, firstSeen: at(0 + 15 / 24) });
    s = recordEvent(s, { ts: at(11.5) }); // 89 days before the latest: inside
    expect(s.days.map(([d]) => d - dayOf(T0))).toEqual([11, 95, 100]);
  });

  it("stay bounded: 10,000 events over two years fit in 90 day entries and under 2 kB of JSON", () => {
    const rand = prng(17);
    const times = range(0, 10_000).map(() => T0 + Math.floor(rand() * 730 * DAY_MS));
    times.sort((a, b) => a - b);
    let s = emptyActivity();
    let largest = 0;
    for (const [i, ts] of times.entries()) {
      s = recordEvent(s, { ts, sessionStart: rand() < 0.2 });
      if (i % 100 === 0) largest = Math.max(largest, JSON.stringify(s).length);
    }
    expect(s.events).toBe(10_000);
    expect(s.days.length).toBeLessThanOrEqual(ACTIVITY_WINDOW_DAYS);
    expect(s.days[0]![0]).toBeGreaterThan(dayOf(s.lastSeen!) - ACTIVITY_WINDOW_DAYS);
    expect(Math.max(largest, JSON.stringify(s).length)).toBeLessThan(2048);
  });
});

describe("recordEvent", () => {
  it("returns a new state and leaves its input unchanged", () => {
    const before = deepFreeze(history(onDays([0, 1, 2])));
    const copy = structuredClone(before);
    const after = recordEvent(before, { ts: at(3), sessionStart: true });
    expect(before).toEqual(copy);
    expect(after.events).toBe(before.events + 1);
  });

  it("refuses a time that is not finite epoch milliseconds", () => {
    for (const ts of [Number.NaN, Number.POSITIVE_INFINITY, -1, "1700000000000" as unknown as number])
      expect(() => recordEvent(emptyActivity(), { ts })).toThrow(RangeError);
  });
});

describe("JSON", () => {
  it("round-trips through JSON and parseActivity with the same scores", () => {
    const s = history(onDays(range(0, 40, 3)));
    const back = parseActivity(JSON.parse(JSON.stringify(s)));
    expect(back).toEqual(s);
    expect(computeScores(back, at(45))).toEqual(computeScores(s, at(45)));
    expect(parseActivity(JSON.parse(JSON.stringify(emptyActivity())))).toEqual(emptyActivity());
  });

  it("parseActivity refuses damaged states, naming the field", () => {
    const good = history(onDays([0, 1, 2]));
    const cases: [unknown, RegExp][] = [
      [null, /not an object/],
      [[], /not an object/],
      [{ ...good, v: 2 }, /invalid v/],
      [{ ...good, events: -1 }, /invalid events/],
      [{ ...good, sessions: 1.5 }, /invalid sessions/],
      [{ ...good, sessions: 0 }, /sessions/],
      [{ ...emptyActivity(), sessions: 2 }, /sessions/],
      [{ ...good, lastSeen: null }, /invalid lastSeen/],
      [{ ...good, firstSeen: good.lastSeen! + 1 }, /firstSeen/],
      [{ ...good, current: null }, /invalid current/],
      [{ ...good, current: { start: 5, last: 4 } }, /invalid current/],
      [{ ...good, days: [...good.days].reverse() }, /days order/],
      [{ ...good, days: [[dayOf(good.lastSeen!) + 1, 1]] }, /outside the window/],
      [{ ...good, days: [[dayOf(good.lastSeen!), 0]] }, /days entry/],
      [{ ...emptyActivity(), days: [[1, 1]] }, /days/],
    ];
    for (const [value, message] of cases) expect(() => parseActivity(value)).toThrow(message);
  });
});

describe("mergeActivity", () => {
  const phone = history(onDays(range(0, 30, 2), 4, 3));
  const laptop = history(onDays(range(31, 60, 3), 2, 10));

  it("two devices' profiles merge into what one profile would have recorded for both", () => {
    const both = history([...onDays(range(0, 30, 2), 4, 3), ...onDays(range(31, 60, 3), 2, 10)]);
    expect(mergeActivity(phone, laptop)).toEqual(both);
    expect(mergeActivity(laptop, phone)).toEqual(both);
  });

  it("adds totals and same-day counts, keeps the earliest first seen and latest last seen", () => {
    const a = history([{ day: 10.25, events: 3 }]);
    const b = history([
      { day: 2.5, events: 1 },
      { day: 10.75, events: 2 },
    ]);
    const m = mergeActivity(a, b);
    expect(m).toMatchObject({ events: 6, sessions: 3, firstSeen: at(2.5), lastSeen: at(10.75) + 2 * MINUTE });
    expect(m.days).toEqual([
      [dayOf(at(2)), 1],
      [dayOf(at(10)), 5],
    ]);
    // b's session (10:45 plus two minutes) is the open one; a's (4 minutes) is closed.
    expect(m.current).toEqual({ start: at(10.75), last: at(10.75) + 2 * MINUTE });
    expect(m.closedSessionMs).toBe(4 * MINUTE);
    expect(mergeActivity(b, a)).toEqual(m);
  });

  it("keeps the window of the later profile", () => {
    const old = history(onDays([0, 5]));
    const recent = history(onDays([200]));
    const m = mergeActivity(old, recent);
    expect(m.days.map(([d]) => d - dayOf(T0))).toEqual([200]);
    expect(m).toMatchObject({ events: 9, firstSeen: at(15 / 24) });
  });

  it("with an empty profile is the other profile", () => {
    expect(mergeActivity(phone, emptyActivity())).toEqual(phone);
    expect(mergeActivity(emptyActivity(), phone)).toEqual(phone);
    expect(mergeActivity(emptyActivity(), emptyActivity())).toEqual(emptyActivity());
  });

  it("stays bounded and valid", () => {
    const rand = prng(5);
    const random = (): ActivityState => {
      let s = emptyActivity();
      for (let i = 0; i < 300; i++)
        s = recordEvent(s, { ts: T0 + Math.floor(rand() * 400 * DAY_MS), sessionStart: rand() < 0.3 });
      return s;
    };
    for (let i = 0; i < 20; i++) {
      const m = mergeActivity(random(), random());
      expect(parseActivity(JSON.parse(JSON.stringify(m)))).toEqual(m);
      expect(m.days.length).toBeLessThanOrEqual(ACTIVITY_WINDOW_DAYS);
      expect(m.events).toBe(600);
    }
  });
});
