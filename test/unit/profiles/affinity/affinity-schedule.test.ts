import { describe, expect, it } from "vitest";
import { emptyAffinityState, recordView, topicAffinities } from "../../../../edge/profiles/affinity/affinity";
import { affinityThresholdsUsed, nextAffinityChange } from "../../../../edge/profiles/affinity/affinity-schedule";
import { compile, parse } from "../../../../edge/segmentql";

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 0, 1, 12);

const defs = (...ql: string[]) => ({
  version: 1,
  segments: ql.map((q, i) => ({ slug: `s${i}`, kind: "rule" as const, ast: parse(q).ast })),
});

describe("the affinity thresholds audiences read", () => {
  it("lists, per topic, the levels at which each test changes", () => {
    const levels = affinityThresholdsUsed(
      defs(
        "FILTER topic_affinity.hiking > 0.5",
        "FILTER AND (topic_affinity.hiking >= 0.2, NOT topic_affinity.coffee <= 0.3)",
        "FILTER topic_affinity.camping BETWEEN 0.25 AND 0.75",
        "FILTER OR (topic_visited.hiking > 2, visitct > 0.5, topic_affinity.tea > 1)",
      ),
    );
    expect(levels.hiking).toEqual([0.2 - 0.0001, 0.5]);
    expect(levels.coffee).toEqual([0.3]);
    expect(levels.camping).toEqual([0.25 - 0.0001, 0.75]);
    // Other fields, and levels an affinity never reaches, are ignored.
    expect(Object.keys(levels).sort()).toEqual(["camping", "coffee", "hiking"]);
  });
});

describe("the next time an affinity crosses a level", () => {
  const state = [0, 1].reduce(
    (s, i) => recordView(s, { url: `x.com/${i}`, topics: { hiking: 1 } }, T0 + i * 3600_000).state,
    emptyAffinityState(),
  );

  it("is when the audience's answer flips: just before, the reader is in; at it, out", () => {
    const levels = affinityThresholdsUsed(defs("FILTER topic_affinity.hiking > 0.5"));
    const at = nextAffinityChange(state, T0 + DAY, levels)!;
    expect(at).toBeGreaterThan(T0 + 29 * DAY);
    const audience = compile(parse("FILTER topic_affinity.hiking > 0.5").ast);
    const fields = (t: number) => ({ topic_affinity: topicAffinities(state, t) });
    expect(audience.test(fields(at - 1000), at - 1000)).toBe(true);
    expect(audience.test(fields(at), at)).toBe(false);
    // Nothing is due after it, nor for a topic the profile never read, nor when no audience reads affinities.
    expect(nextAffinityChange(state, at, levels)).toBeNull();
    expect(nextAffinityChange(state, T0, { coffee: [0.5] })).toBeNull();
    expect(nextAffinityChange(state, T0, {})).toBeNull();
  });

  it("for `>=` comes once the shown value is below the threshold, not at it", () => {
    const levels = affinityThresholdsUsed(defs("FILTER topic_affinity.hiking >= 0.5"));
    const at = nextAffinityChange(state, T0, levels)!;
    expect(topicAffinities(state, at).hiking).toBeLessThan(0.5);
    expect(topicAffinities(state, at - 1000).hiking).toBeGreaterThanOrEqual(0.5);
  });
});
