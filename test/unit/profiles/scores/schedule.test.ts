import { describe, expect, it } from "vitest";
import {
  type ActivityState,
  computeScores,
  DAY_MS,
  dayOf,
  emptyActivity,
  nextScoreChange,
  recordEvent,
  SCORES_SETTLE_DAYS,
  type Scores,
  TIME_DEPENDENT_SCORES,
} from "../../../../edge/profiles/scores/index";
import { compile, parse } from "../../../../edge/segmentql/index";
import { prng } from "../../segmentql/gen";
import { at, history, onDays, range, T0 } from "./histories";

/** Follows the alarm chain from `now`: every wake-up time until nextScoreChange answers null. */
function alarms(state: ActivityState, now: number, fields?: Parameters<typeof nextScoreChange>[2]): number[] {
  const out: number[] = [];
  for (let t = nextScoreChange(state, now, fields); t !== null; t = nextScoreChange(state, t, fields)) {
    out.push(t);
    if (out.length > 1000) throw new Error("alarm chain does not end");
  }
  return out;
}

const timeScores = (s: Scores) => TIME_DEPENDENT_SCORES.map((f) => s[f]);

describe("nextScoreChange", () => {
  it("is null without events", () => {
    expect(nextScoreChange(emptyActivity(), T0)).toBeNull();
  });

  it("for a visitor seen today is the next UTC midnight, when recency first drops", () => {
    const s = history(onDays([0, 1, 2]));
    expect(nextScoreChange(s, at(2.7))).toBe(at(3));
    expect(computeScores(s, at(3))!.score_recency).toBeLessThan(computeScores(s, at(2.7))!.score_recency);
  });

  it("is exact: no score changes before it, and one does at it (any history, any time)", () => {
    const rand = prng(7);
    for (let i = 0; i < 60; i++) {
      let s = emptyActivity();
      const times = range(0, 1 + Math.floor(rand() * 200)).map(() => T0 + Math.floor(rand() * 120 * DAY_MS));
      times.sort((a, b) => a - b);
      for (const ts of times) s = recordEvent(s, { ts, sessionStart: rand() < 0.3 });
      const now = s.lastSeen! + Math.floor(rand() * 100 * DAY_MS);
      const next = nextScoreChange(s, now);
      const current = computeScores(s, now)!;
      const until = next ?? now + 200 * DAY_MS;
      for (let day = dayOf(now) + 1; day * DAY_MS < until; day++)
        expect(computeScores(s, day * DAY_MS)).toEqual(current);
      if (next !== null) {
        expect(next % DAY_MS).toBe(0);
        expect(next).toBeGreaterThan(now);
        expect(timeScores(computeScores(s, next)!)).not.toEqual(timeScores(current));
      }
    }
  });

  it("stops once every decaying score has reached 0: at most 90 days after the last event", () => {
    const lapsed = history(onDays(range(0, 60), 2, 4));
    const chain = alarms(lapsed, at(59.9));
    expect(chain.length).toBeGreaterThan(0);
    expect(chain.length).toBeLessThanOrEqual(SCORES_SETTLE_DAYS);
    const last = chain[chain.length - 1]!;
    expect(last).toBeLessThanOrEqual((dayOf(lapsed.lastSeen!) + SCORES_SETTLE_DAYS) * DAY_MS);
    expect(timeScores(computeScores(lapsed, last)!)).toEqual([0, 0, 0, 0]);
    expect(nextScoreChange(lapsed, at(400))).toBeNull();
    // Intensity, quantity and maturity are untouched by time.
    expect(computeScores(lapsed, at(400))).toMatchObject({
      score_intensity: computeScores(lapsed, at(59.9))!.score_intensity,
      score_quantity: computeScores(lapsed, at(59.9))!.score_quantity,
      score_maturity: computeScores(lapsed, at(59.9))!.score_maturity,
    });
  });

  it("watching only momentum, a one-time visitor is woken once, when momentum falls to 0", () => {
    const once = history(onDays([0], 1));
    expect(alarms(once, at(0.7), ["score_momentum"])).toEqual([at(7)]);
    expect(computeScores(once, at(6.9))!.score_momentum).toBe(50);
    expect(computeScores(once, at(7))!.score_momentum).toBe(0);
    expect(nextScoreChange(once, at(0.7), ["score_intensity", "score_quantity", "score_maturity"])).toBeNull();
  });

  it("wakes a profile exactly when it leaves the reference's score_momentum audience", () => {
    const audience = compile(parse("FILTER AND ( score_momentum > 25, score_quantity > 25 ) ALIAS seg_webhook1").ast);
    const member = (s: ActivityState, t: number) => audience.test({ ...computeScores(s, t)! }, t);
    const regular = history(onDays(range(0, 30), 3, 2));
    const now = at(29.9);
    expect(member(regular, now)).toBe(true);
    // The first hour (checked hour by hour) at which the profile is no longer a member...
    let exit = Math.ceil(now / 3_600_000) * 3_600_000;
    while (member(regular, exit)) exit += 3_600_000;
    // ...is a wake-up time of the alarm chain, so a real-time audience sees the exit then.
    expect(alarms(regular, now)).toContain(exit);
  });
});
