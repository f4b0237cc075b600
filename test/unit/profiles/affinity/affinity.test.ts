import { describe, expect, it } from "vitest";
import {
  DEFAULT_HALF_LIFE_MS,
  MAX_VISITED,
  affinityFallsBelowAt,
  affinityFields,
  emptyAffinityState,
  hasVisited,
  mergeAffinityStates,
  recordView,
  topicAffinities,
} from "../../../../edge/profiles/affinity/affinity";
import type { AffinityState } from "../../../../edge/profiles/affinity/affinity";
import { compile, parse } from "../../../../edge/segmentql";

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2024, 9, 1, 12);
type Doc = { url: string; topics: Record<string, number> };
const hiking = (n: number): Doc => ({ url: `example.com/blog/hiking-${n}`, topics: { hiking: 1, trail: 0.5 } });
const coffee = (n: number): Doc => ({ url: `example.com/blog/coffee-${n}`, topics: { coffee: 1 } });

/** Views `docs` one hour apart from `start`. */
function read(docs: { url: string; topics: Record<string, number> }[], start = T0, state = emptyAffinityState()) {
  let s: AffinityState = state;
  docs.forEach((d, i) => (s = recordView(s, d, start + i * 3600_000).state));
  return s;
}

describe("topic affinities", () => {
  it("grow with views of a topic: one view 0.5, two 0.67, three 0.75", () => {
    const at = (n: number) => topicAffinities(read([1, 2, 3].slice(0, n).map(hiking)), T0 + (n - 1) * 3600_000);
    expect(at(1)).toEqual({ hiking: 0.5, trail: 0.3333 });
    expect(at(2).hiking).toBeCloseTo(0.6667, 3);
    expect(at(3).hiking).toBeCloseTo(0.75, 2);
  });

  it("decay with a 30-day half-life as time passes without views", () => {
    const s = recordView(
      recordView(recordView(emptyAffinityState(), hiking(1), T0).state, hiking(2), T0).state,
      hiking(3),
      T0 + 1000,
    ).state;
    expect(topicAffinities(s, T0 + 1000).hiking).toBe(0.75); // score 3
    expect(topicAffinities(s, T0 + 1000 + 30 * DAY).hiking).toBe(0.6); // score 1.5
    expect(topicAffinities(s, T0 + 1000 + 60 * DAY).hiking).toBe(0.4286); // score 0.75
    expect(topicAffinities(s, T0 + 1000 + 60 * DAY, { halfLifeMs: 60 * DAY }).hiking).toBe(0.6);
  });

  it("weigh old views less than recent ones", () => {
    const old = read([1, 2].map(hiking));
    const mixed = read([1, 2].map(coffee), T0 + 45 * DAY, old);
    const a = topicAffinities(mixed, T0 + 45 * DAY + 2 * 3600_000);
    expect(Object.keys(a)[0]).toBe("coffee");
    expect(a.coffee).toBeGreaterThan(a.hiking!);
  });

  it("do not depend on the order late events arrive in", () => {
    const inOrder = recordView(recordView(emptyAffinityState(), hiking(1), T0).state, hiking(2), T0 + 10 * DAY).state;
    const late = recordView(recordView(emptyAffinityState(), hiking(2), T0 + 10 * DAY).state, hiking(1), T0).state;
    expect(topicAffinities(late, T0 + 20 * DAY)).toEqual(topicAffinities(inOrder, T0 + 20 * DAY));
    expect(late.topics.hiking).toMatchObject({ n: 2, t: T0 + 10 * DAY });
  });

  it("ignore a reload of the same page but count a later visit", () => {
    let r = recordView(emptyAffinityState(), hiking(1), T0);
    expect(r).toMatchObject({ firstVisit: true, counted: true });
    r = recordView(r.state, hiking(1), T0 + 60_000);
    expect(r).toMatchObject({ firstVisit: false, counted: false });
    expect(r.state.topics.hiking!.n).toBe(1);
    r = recordView(r.state, hiking(1), T0 + DAY);
    expect(r).toMatchObject({ firstVisit: false, counted: true });
    expect(r.state.topics.hiking!.n).toBe(2);
    expect(r.state.views).toBe(2);
  });

  it("never change the state they are given", () => {
    const s = read([hiking(1)]);
    const copy = structuredClone(s);
    recordView(s, coffee(1), T0 + DAY);
    expect(s).toEqual(copy);
  });

  it("remember the most recent visited documents only", () => {
    const docs = Array.from({ length: MAX_VISITED + 20 }, (_, i) => ({
      url: `example.com/d/${i}`,
      topics: { t: 0.1 },
    }));
    const s = read(docs);
    expect(Object.keys(s.visited)).toHaveLength(MAX_VISITED);
    expect(hasVisited(s, "example.com/d/0")).toBe(false);
    expect(hasVisited(s, `example.com/d/${MAX_VISITED + 19}`)).toBe(true);
    expect(s.views).toBe(MAX_VISITED + 20);
  });
});

describe("profile fields", () => {
  const state = read([1, 2, 3].map(hiking).concat([coffee(1)]));
  const now = T0 + 4 * 3600_000;
  const fields = affinityFields(state, now);

  it("give affinities, visited counts and last visits per topic", () => {
    expect(fields).toMatchObject({
      topic_visited: { hiking: 3, trail: 3, coffee: 1 },
      topic_last_visit: {
        hiking: new Date(T0 + 2 * 3600_000).toISOString(),
        coffee: new Date(T0 + 3 * 3600_000).toISOString(),
      },
      content_visited: 4,
      content_views: 4,
    });
    expect(Object.keys(fields.topic_affinity)).toEqual(["hiking", "trail", "coffee"]);
  });

  it("are what SegmentQL audiences read", () => {
    const test = (ql: string) => compile(parse(ql).ast).test(fields, now);
    expect(test("FILTER topic_affinity.hiking > 0.5")).toBe(true);
    expect(test("FILTER topic_affinity.coffee > 0.5")).toBe(false);
    expect(test("FILTER topic_visited.hiking >= 3")).toBe(true);
    expect(test('FILTER topic_last_visit.coffee > "now-1d"')).toBe(true);
  });

  it("say when an affinity will fall below a threshold", () => {
    const ts = state.topics.hiking!;
    const at = affinityFallsBelowAt(ts, 0.5);
    expect(topicAffinities(state, at - 60_000).hiking).toBeGreaterThan(0.5);
    expect(topicAffinities(state, at).hiking).toBeLessThanOrEqual(0.5);
    expect(at - ts.t).toBeGreaterThan(DEFAULT_HALF_LIFE_MS);
    expect(affinityFallsBelowAt(ts, 0.99)).toBe(ts.t);
  });
});

describe("merging the content history of two profiles", () => {
  it("decays both to the later time, adds scores and counts, and unites visits", () => {
    const t0 = Date.UTC(2026, 0, 1);
    const a = recordView(emptyAffinityState(), { url: "x.com/a", topics: { hiking: 1 } }, t0).state;
    const b = recordView(
      emptyAffinityState(),
      { url: "x.com/b", topics: { hiking: 1, coffee: 0.5 } },
      t0 + DEFAULT_HALF_LIFE_MS,
    ).state;
    const m = mergeAffinityStates(a, b);
    expect(m.topics.hiking).toEqual({ s: 1.5, t: t0 + DEFAULT_HALF_LIFE_MS, n: 2 });
    expect(m.topics.coffee).toEqual(b.topics.coffee);
    expect(Object.keys(m.visited).sort()).toEqual(["x.com/a", "x.com/b"]);
    expect(m.views).toBe(2);
    expect(mergeAffinityStates(b, a)).toEqual({
      ...m,
      visited: { "x.com/b": m.visited["x.com/b"]!, "x.com/a": m.visited["x.com/a"]! },
    });
  });
});
