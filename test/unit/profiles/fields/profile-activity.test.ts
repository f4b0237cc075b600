import { describe, expect, it } from "vitest";
import { eventTime } from "../../../../edge/profiles/fields/event-fields";
import { readActivity, scoreFieldsUsed } from "../../../../edge/profiles/fields/profile-activity";
import { parse } from "../../../../edge/segmentql";

const NOW = Date.UTC(2026, 5, 15, 12);

describe("eventTime (the time scores count an event at)", () => {
  it("uses the event's _ts, capped at now; otherwise now", () => {
    expect(eventTime({ _ts: NOW - 5000 }, NOW)).toBe(NOW - 5000);
    expect(eventTime({ _ts: NOW + 86_400_000 }, NOW)).toBe(NOW);
    // The legacy GET format carries it as a string.
    expect(eventTime({ _ts: String(NOW - 1000) as unknown as number }, NOW)).toBe(NOW - 1000);
    for (const bad of [undefined, -1, Number.NaN, "soon", ""]) expect(eventTime({ _ts: bad as never }, NOW)).toBe(NOW);
  });
});

describe("scoreFieldsUsed", () => {
  it("names the score fields any audience reads, through NOT, OR and nesting, in the documented order", () => {
    const ast = (text: string) => parse(text).ast;
    const used = scoreFieldsUsed({
      version: 1,
      segments: [
        { slug: "a", kind: "rule", ast: ast("FILTER AND ( score_momentum > 25, score_quantity > 25 ) ALIAS a") },
        { slug: "b", kind: "rule", ast: ast('FILTER OR ( NOT score_recency < 10, plan = "pro" ) ALIAS b') },
        { slug: "c", kind: "manual", ast: null },
      ],
    });
    expect(used).toEqual(["score_recency", "score_momentum", "score_quantity"]);
    expect(
      scoreFieldsUsed({ version: 1, segments: [{ slug: "d", kind: "rule", ast: ast("FILTER visitct > 2 ALIAS d") }] }),
    ).toEqual([]);
  });
});

describe("readActivity", () => {
  it("reads a stored state, and starts afresh from a damaged one", () => {
    expect(readActivity(null).events).toBe(0);
    expect(readActivity("{not json").events).toBe(0);
    expect(readActivity(JSON.stringify({ v: 9 })).events).toBe(0);
  });
});
