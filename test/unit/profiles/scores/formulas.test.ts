import { describe, expect, it } from "vitest";
import {
  type ActivityState,
  computeScores,
  DAY_MS,
  emptyActivity,
  recordEvent,
  SCORE_FIELDS,
  type Scores,
} from "../../../../edge/profiles/scores/index";
import { compile, parse } from "../../../../edge/segmentql/index";
import { prng } from "../../segmentql/gen";
import { at, history, MINUTE, onDays, range, T0, visit } from "./histories";

/** Scores at `day` days after T0 (a non-empty state). */
function scoresAt(state: ActivityState, day: number): Scores {
  const s = computeScores(state, at(day));
  if (!s) throw new Error("expected scores");
  return s;
}

/** The first SegmentQL example of reference 000 (subscriptions), as written there. */
const REFERENCE_AUDIENCE = "FILTER AND ( score_momentum > 25, score_quantity > 25 ) ALIAS seg_webhook1";

function inReferenceAudience(scores: Scores | null, now: number): boolean {
  return compile(parse(REFERENCE_AUDIENCE).ast).test({ ...(scores ?? {}) }, now);
}

const dailyRegular = history(onDays(range(0, 60), 2, 4)); // days 0–59, two events four minutes apart

describe("a brand-new visitor", () => {
  it("has no scores before any event, as in Lytics", () => {
    expect(computeScores(emptyActivity(), T0)).toBeNull();
    expect(inReferenceAudience(computeScores(emptyActivity(), T0), T0)).toBe(false);
  });

  it("after one page view: just seen, steady momentum, no pattern, no tenure yet", () => {
    const s = recordEvent(emptyActivity(), { ts: T0, sessionStart: true });
    expect(computeScores(s, T0 + MINUTE)).toEqual({
      score_frequency: 27,
      score_recency: 100,
      score_intensity: 11,
      score_momentum: 50,
      score_consistency: 0,
      score_quantity: 10,
      score_maturity: 0,
    });
    // A one-page visit is what Lytics calls a casual visitor (intensity < 25).
    expect(computeScores(s, T0 + MINUTE)!.score_intensity).toBeLessThan(25);
    expect(inReferenceAudience(computeScores(s, T0 + MINUTE), T0 + MINUTE)).toBe(false);
  });
});

describe("a daily regular", () => {
  it("scores top frequency, recency and consistency, and a steady momentum of about 50", () => {
    const s = scoresAt(dailyRegular, 59.9);
    expect(s).toMatchObject({ score_frequency: 100, score_recency: 100, score_consistency: 100, score_momentum: 50 });
    expect(s.score_quantity).toBe(Math.round((100 * Math.log(121)) / Math.log(1001)));
    expect(inReferenceAudience(s, at(59.9))).toBe(true);
  });

  it("keeps momentum near 50 at any hour, before or after the day's visit", () => {
    for (const hour of [1, 10, 14, 16, 23]) {
      const m = scoresAt(dailyRegular, 59 + hour / 24).score_momentum;
      expect(m).toBeGreaterThanOrEqual(45);
      expect(m).toBeLessThanOrEqual(55);
    }
  });

  it("a weekly regular is steady (momentum about 50) every day of the week and fully consistent", () => {
    const weekly = history(onDays(range(0, 84, 7)));
    for (const day of range(77, 84)) {
      const s = scoresAt(weekly, day + 0.9);
      expect(Math.abs(s.score_momentum - 50)).toBeLessThanOrEqual(3);
      expect(s.score_consistency).toBe(100);
    }
  });
});

describe("a lapsed visitor", () => {
  it("recency and momentum decay day by day with no new event; volume and tenure stay", () => {
    const days = range(60, 130);
    const series = days.map((d) => scoresAt(dailyRegular, d + 0.5));
    for (let i = 1; i < series.length; i++) {
      const [prev, cur] = [series[i - 1]!, series[i]!];
      expect(cur.score_recency).toBeLessThanOrEqual(prev.score_recency);
      expect(cur.score_momentum).toBeLessThanOrEqual(prev.score_momentum);
      expect(cur.score_frequency).toBeLessThanOrEqual(prev.score_frequency);
      expect(cur.score_consistency).toBeLessThanOrEqual(prev.score_consistency);
      expect([cur.score_intensity, cur.score_quantity, cur.score_maturity]).toEqual([
        series[0]!.score_intensity,
        series[0]!.score_quantity,
        series[0]!.score_maturity,
      ]);
    }
    // Recency halves every ten days.
    expect(scoresAt(dailyRegular, 60.5).score_recency).toBe(93);
    expect(scoresAt(dailyRegular, 69.5).score_recency).toBe(50);
    expect(scoresAt(dailyRegular, 79.5).score_recency).toBe(25);
    // Momentum falls below 50 at once and reaches 0 after a week without events.
    expect(scoresAt(dailyRegular, 60.5).score_momentum).toBeLessThan(50);
    expect(scoresAt(dailyRegular, 63.5).score_momentum).toBeLessThan(35);
    expect(scoresAt(dailyRegular, 66.5).score_momentum).toBe(0);
    // A long silence breaks the rhythm.
    expect(scoresAt(dailyRegular, 70.5).score_consistency).toBe(0);
  });

  it("leaves the reference's momentum audience after a few quiet days, and re-enters on return", () => {
    expect(inReferenceAudience(scoresAt(dailyRegular, 60.5), at(60.5))).toBe(true);
    expect(inReferenceAudience(scoresAt(dailyRegular, 66.5), at(66.5))).toBe(false);
    const back = visit(dailyRegular, onDays([70], 5));
    expect(inReferenceAudience(scoresAt(back, 70.9), at(70.9))).toBe(true);
  });
});

describe("a burst visitor", () => {
  // One short visit every ten days, then thirty events over two days.
  const steady = history(onDays(range(0, 80, 10), 1));
  const burst = visit(steady, [
    { day: 78.4, events: 15, gapMinutes: 3 },
    { day: 79.6, events: 15, gapMinutes: 3 },
  ]);

  it("has high momentum, well above its own steady rate", () => {
    expect(Math.abs(scoresAt(steady, 70.9).score_momentum - 50)).toBeLessThanOrEqual(6);
    const s = scoresAt(burst, 79.9);
    expect(s.score_momentum).toBeGreaterThan(85);
    expect(s.score_intensity).toBeGreaterThan(scoresAt(steady, 70.9).score_intensity);
  });
});

describe("each formula's documented values", () => {
  const oneVisitAgo = (d: number) => scoresAt(history(onDays([0], 1)), d + 0.5).score_recency;

  it("recency: 100 on the day, 93 a day later, 62 a week, 13 a month, 0 from day 77", () => {
    expect([0, 1, 7, 30, 76, 77].map(oneVisitAgo)).toEqual([100, 93, 62, 13, 1, 0]);
  });

  it("quantity: 1 event 10, 10 events 35, 100 events 67, 1,000 or more 100", () => {
    const withEvents = (n: number) => scoresAt(history([{ day: 0, events: n, gapMinutes: 0.01 }]), 0.5).score_quantity;
    expect([1, 10, 100, 1000, 5000].map(withEvents)).toEqual([10, 35, 67, 100, 100]);
  });

  it("maturity: from first to last event — a day 12, a week 35, a month 58, a quarter 76, a year 100", () => {
    const spanning = (days: number) => scoresAt(history(onDays([0, days], 1)), days + 0.9).score_maturity;
    expect([1, 7, 30, 90, 365, 800].map(spanning)).toEqual([12, 35, 58, 76, 100, 100]);
    // A one-time visitor stays immature however long ago the visit was.
    expect(scoresAt(history(onDays([0], 1)), 400).score_maturity).toBe(0);
  });

  it("frequency: every day 100, every other day 71, weekly 38, monthly 18", () => {
    const every = (step: number) => scoresAt(history(onDays(range(0, 90, step), 1)), 89.9).score_frequency;
    expect([1, 2, 7, 30].map(every)).toEqual([100, 71, 38, 18]);
  });

  it("intensity: one event per visit 11, five events over five minutes 56, long deep sessions 100", () => {
    const sessions = (events: number, gap: number) =>
      scoresAt(history(onDays(range(0, 10), events, gap)), 9.9).score_intensity;
    expect(sessions(1, 0)).toBe(11);
    expect(sessions(5, 1.25)).toBe(56);
    expect(sessions(25, 2)).toBe(100);
  });

  it("consistency: clockwork visits 100, erratic ones low, too few visits 0", () => {
    const on = (days: number[]) => scoresAt(history(onDays(days, 1)), days[days.length - 1]! + 0.9).score_consistency;
    expect(on(range(0, 50, 5))).toBe(100);
    expect(on([0, 1, 2, 20, 21, 50, 51, 52, 80])).toBeLessThan(20);
    expect(on([0, 5])).toBe(0);
    expect(on([0, 5, 10])).toBe(33); // two equal gaps: regular, but two of the six gaps wanted
  });
});

describe("properties", () => {
  const rand = prng(42);
  function randomHistory(): ActivityState {
    let s = emptyActivity();
    const events = 1 + Math.floor(rand() * 400);
    const span = 1 + rand() * 300;
    const times = range(0, events).map(() => T0 + Math.floor(rand() * span * DAY_MS));
    times.sort((a, b) => a - b);
    for (const ts of times) s = recordEvent(s, { ts, sessionStart: rand() < 0.25 });
    return s;
  }

  it("every score is an integer from 0 to 100, for any history and time", () => {
    for (let i = 0; i < 200; i++) {
      const s = randomHistory();
      const scores = computeScores(s, s.lastSeen! + Math.floor(rand() * 200 * DAY_MS))!;
      expect(Object.keys(scores).sort()).toEqual([...SCORE_FIELDS].sort());
      for (const v of Object.values(scores)) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(100);
      }
    }
  });

  it("more recent → recency at least as high; later now → recency no higher", () => {
    for (let i = 0; i < 100; i++) {
      const s = randomHistory();
      const now = s.lastSeen! + Math.floor(rand() * 100 * DAY_MS);
      const later = recordEvent(s, { ts: now });
      expect(computeScores(later, now)!.score_recency).toBeGreaterThanOrEqual(computeScores(s, now)!.score_recency);
      expect(computeScores(s, now + DAY_MS)!.score_recency).toBeLessThanOrEqual(computeScores(s, now)!.score_recency);
    }
  });

  it("an event now never lowers momentum, quantity or maturity", () => {
    for (let i = 0; i < 100; i++) {
      const s = randomHistory();
      const now = s.lastSeen! + Math.floor(rand() * 30 * DAY_MS);
      const before = computeScores(s, now)!;
      const after = computeScores(recordEvent(s, { ts: now }), now)!;
      expect(after.score_momentum).toBeGreaterThanOrEqual(before.score_momentum);
      expect(after.score_quantity).toBeGreaterThanOrEqual(before.score_quantity);
      expect(after.score_maturity).toBeGreaterThanOrEqual(before.score_maturity);
    }
  });

  it("more visit days in the same period → frequency at least as high", () => {
    for (let i = 0; i < 50; i++) {
      const days = range(0, 60).filter(() => rand() < 0.3);
      if (!days.includes(0)) days.unshift(0);
      const extra = range(0, 60).find((d) => !days.includes(d));
      if (extra === undefined) continue;
      const base = history(onDays(days, 1));
      const more = history(
        onDays(
          [...days, extra].sort((a, b) => a - b),
          1,
        ),
      );
      expect(scoresAt(more, 60.5).score_frequency).toBeGreaterThanOrEqual(scoresAt(base, 60.5).score_frequency);
    }
  });

  it("deeper sessions (more events, more time) → intensity at least as high", () => {
    for (const [events, gap] of [
      [1, 0],
      [2, 1],
      [4, 1],
      [4, 5],
      [10, 5],
      [30, 5],
    ] as const) {
      const a = scoresAt(history(onDays(range(0, 5), events, gap)), 4.9).score_intensity;
      const more = scoresAt(history(onDays(range(0, 5), events + 1, gap)), 4.9).score_intensity;
      const longer = scoresAt(history(onDays(range(0, 5), events, gap + 1)), 4.9).score_intensity;
      expect(more).toBeGreaterThanOrEqual(a);
      expect(longer).toBeGreaterThanOrEqual(a);
    }
  });

  it("refuses a time that is not finite epoch milliseconds", () => {
    expect(() => computeScores(dailyRegular, Number.NaN)).toThrow(RangeError);
  });
});
