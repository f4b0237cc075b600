import { describe, expect, it } from "vitest";
import { emptyAffinityState, recordView } from "../../../edge/profiles/affinity/affinity";
import type { AffinityState, ContentDocument, RecommendParams } from "../../../edge/content/contract";
import { newDocument } from "../../../edge/content/document";
import {
  MAX_LIMIT,
  compileContentFilter,
  parseRecommendQuery,
  recommend,
  type DocumentFilter,
} from "../../../edge/content/recommend";

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2024, 9, 15, 12);

/** A publisher's twelve articles across three topics. */
const articles: [string, string, number, number][] = [
  // slug, topic, unique visitors, published (days before NOW)
  ["hiking/quiet-trails", "hiking", 40, 30],
  ["hiking/boots", "hiking", 25, 20],
  ["hiking/waterfalls", "hiking", 10, 10],
  ["hiking/summits", "hiking", 5, 2],
  ["hiking/backpacking", "hiking", 3, 1],
  ["coffee/sour-espresso", "coffee", 90, 40],
  ["coffee/grinders", "coffee", 60, 15],
  ["coffee/pour-over", "coffee", 20, 5],
  ["cycling/rain-commute", "cycling", 70, 25],
  ["cycling/gravel", "cycling", 30, 12],
  ["cycling/touring", "cycling", 15, 8],
  ["cycling/repairs", "cycling", 8, 3],
];
const docs: ContentDocument[] = articles.map(([slug, topic, unique, age]) => ({
  ...newDocument(`www.example.com/blog/${slug}`, "discovery", NOW - 60 * DAY),
  title: slug,
  description: `About ${topic}`,
  primary_image: `https://www.example.com/img/${slug}.jpg`,
  author: "Ana",
  published: new Date(NOW - age * DAY).toISOString(),
  topics: { [topic]: 1, outdoors: topic === "coffee" ? 0 : 0.3 },
  unique_visitors: unique,
  views: unique * 2,
}));
docs.forEach((d) => {
  if (d.topics.outdoors === 0) delete d.topics.outdoors;
});
const byUrl = new Map(docs.map((d) => [d.url, d]));
const url = (slug: string) => `www.example.com/blog/${slug}`;

/** A visitor who read `slugs`, one an hour, ending an hour before NOW. */
function reader(...slugs: string[]): AffinityState {
  let s = emptyAffinityState();
  slugs.forEach((slug, i) => (s = recordView(s, byUrl.get(url(slug))!, NOW - (slugs.length - i) * 3600_000).state));
  return s;
}

function params(query: Record<string, string | string[]> = {}): RecommendParams {
  const r = parseRecommendQuery(query);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const slugs = (items: { url: string }[]) => items.map((i) => i.url.replace("www.example.com/blog/", ""));

function filter(value: string, resolve?: (slug: string) => string | undefined): DocumentFilter {
  const r = compileContentFilter(value, "contentsegment", resolve);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

describe("recommendations", () => {
  it("give an unknown visitor the most popular content", () => {
    const items = recommend({ docs, params: params({ limit: "3" }), now: NOW });
    expect(slugs(items)).toEqual(["coffee/sour-espresso", "cycling/rain-commute", "coffee/grinders"]);
    expect(items[0]).toEqual({
      url: "www.example.com/blog/coffee/sour-espresso",
      title: "coffee/sour-espresso",
      description: "About coffee",
      primary_image: "https://www.example.com/img/coffee/sour-espresso.jpg",
      author: "Ana",
      created: new Date(NOW - 40 * DAY).toISOString(),
      confidence: 1,
      visited: false,
    });
    expect(items[1]!.confidence).toBeCloseTo(Math.log(71) / Math.log(91), 4);
  });

  it("give a visitor who read three hiking articles the unvisited hiking articles first", () => {
    const profile = reader("hiking/quiet-trails", "hiking/boots", "hiking/waterfalls");
    const items = recommend({ docs, profile, params: params({ limit: "4" }), now: NOW });
    expect(slugs(items)).toEqual(["hiking/summits", "hiking/backpacking", "cycling/rain-commute", "cycling/gravel"]);
    expect(items.every((i) => !i.visited)).toBe(true);
    expect(items[0]!.confidence).toBeGreaterThan(items[2]!.confidence);
    expect(items[2]!.confidence).toBeGreaterThan(0); // cycling shares "outdoors"
  });

  it("give a visitor who read the coffee articles coffee first", () => {
    const profile = reader("coffee/sour-espresso", "coffee/grinders");
    const items = recommend({ docs, profile, params: params({ limit: "3" }), now: NOW });
    expect(slugs(items)[0]).toBe("coffee/pour-over");
    expect(items[0]!.confidence).toBeGreaterThan(0.5);
  });

  it("include visited documents with visited=true, marked as visited", () => {
    const profile = reader("hiking/quiet-trails", "hiking/boots", "hiking/waterfalls");
    const items = recommend({ docs, profile, params: params({ visited: "true", limit: "5" }), now: NOW });
    expect(slugs(items).slice(0, 5).sort()).toEqual(
      ["hiking/backpacking", "hiking/boots", "hiking/quiet-trails", "hiking/summits", "hiking/waterfalls"].sort(),
    );
    expect(items.filter((i) => i.visited).map((i) => slugs([i])[0])).toEqual([
      "hiking/quiet-trails",
      "hiking/boots",
      "hiking/waterfalls",
    ]);
    const without = recommend({ docs, profile, params: params({ visited: "false", limit: "50" }), now: NOW });
    expect(without).toHaveLength(9);
    expect(without.some((i) => i.visited)).toBe(false);
  });

  it("rank by popularity or recency when asked, whatever the affinity", () => {
    const profile = reader("hiking/quiet-trails");
    expect(slugs(recommend({ docs, profile, params: params({ rank: "popular", limit: "2" }), now: NOW }))).toEqual([
      "coffee/sour-espresso",
      "cycling/rain-commute",
    ]);
    const recent = recommend({ docs, profile, params: params({ rank: "recent", limit: "3" }), now: NOW });
    expect(slugs(recent)).toEqual(["hiking/backpacking", "hiking/summits", "cycling/repairs"]);
    expect(recent[0]!.confidence).toBeCloseTo(2 ** (-1 / 30), 4);
  });

  it("return 10 by default and at most the documents that pass", () => {
    expect(recommend({ docs, params: params(), now: NOW })).toHaveLength(10);
    expect(recommend({ docs, params: params({ limit: String(MAX_LIMIT) }), now: NOW })).toHaveLength(12);
  });

  it("filter by topics[], URL patterns and exclusions", () => {
    const p = (q: Record<string, string | string[]>) => slugs(recommend({ docs, params: params(q), now: NOW }));
    expect(p({ "topics[]": ["cycling"] })).toEqual([
      "cycling/rain-commute",
      "cycling/gravel",
      "cycling/touring",
      "cycling/repairs",
    ]);
    expect(p({ topics: "Coffee,cycling", limit: "3" })).toEqual([
      "coffee/sour-espresso",
      "cycling/rain-commute",
      "coffee/grinders",
    ]);
    expect(p({ url: "www.example.com/blog/coffee/*" })).toHaveLength(3);
    expect(p({ url: "https://WWW.example.com/blog/hiking/*", exclude_url: ["*/boots", "*/summits"] })).toEqual([
      "hiking/quiet-trails",
      "hiking/waterfalls",
      "hiking/backpacking",
    ]);
  });

  it("filter by a SegmentQL contentsegment, Pathfora's ql and saved content audiences", () => {
    const run = (filters: DocumentFilter[]) =>
      slugs(recommend({ docs, params: params({ limit: "50" }), filters, now: NOW }));
    expect(run([filter('FILTER AND(url LIKE "www.example.com/blog/coffee/*") FROM content')])).toEqual([
      "coffee/sour-espresso",
      "coffee/grinders",
      "coffee/pour-over",
    ]);
    expect(run([filter('FILTER AND (topics INTERSECTS ("hiking"), published > "now-7d")')])).toEqual([
      "hiking/summits",
      "hiking/backpacking",
    ]);
    const saved = (slug: string) =>
      slug === "cycling_only" ? 'FILTER topics = "cycling" FROM content ALIAS cycling_only' : undefined;
    expect(run([filter("cycling_only", saved), filter("FILTER unique_visitors >= 20")])).toEqual([
      "cycling/rain-commute",
      "cycling/gravel",
    ]);
  });

  it("explain bad filters: unknown audience 404, wrong table, INCLUDE and syntax 400", () => {
    expect(compileContentFilter("nope", "contentsegment")).toEqual({
      ok: false,
      status: 404,
      problems: [{ path: "contentsegment", message: 'no content audience "nope"' }],
    });
    const bad = (v: string) => {
      const r = compileContentFilter(v, "ql");
      return r.ok ? "ok" : `${r.status} ${r.problems[0]!.path}: ${r.problems[0]!.message}`;
    };
    expect(bad('FILTER email = "x" FROM user')).toBe("400 ql: a content filter reads FROM content, not FROM user");
    expect(bad("FILTER INCLUDE other FROM content")).toBe("400 ql: INCLUDE is not supported in content filters");
    expect(bad("FILTER AND (url LIKE ) FROM content")).toMatch(/^400 ql: .*line 1, column/);
    expect(bad("not a slug!")).toMatch(/^400 ql: expected a SegmentQL filter/);
    expect(bad('FILTER url LIKE "*";')).toBe("ok");
  });

  it("shuffle: limit documents from the best 3 × limit, reproducible for a given random source", () => {
    const seeded = (seed: number) => () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const p = params({ shuffle: "true", limit: "2", rank: "popular" });
    const pool = slugs(recommend({ docs, params: params({ limit: "6", rank: "popular" }), now: NOW }));
    const draws = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
      slugs(recommend({ docs, params: p, now: NOW, random: seeded(seed) })),
    );
    for (const d of draws) {
      expect(d).toHaveLength(2);
      for (const s of d) expect(pool).toContain(s);
    }
    expect(new Set(draws.map((d) => d.join())).size).toBeGreaterThan(1);
    expect(slugs(recommend({ docs, params: p, now: NOW, random: seeded(3) }))).toEqual(draws[2]);
  });
});

describe("recommendation parameters", () => {
  it("default to 10 by affinity, unvisited, not shuffled", () => {
    expect(parseRecommendQuery(new URLSearchParams(""))).toEqual({
      ok: true,
      value: { limit: 10, rank: "affinity", visited: false, shuffle: false, topics: [], include: [], exclude: [] },
    });
  });

  it("read Pathfora's query string", () => {
    const q = new URLSearchParams(
      'limit=3&shuffle=true&visited=false&rank=recent&contentsegment=blog&ql=FILTER AND(url LIKE "www.example.com/*") FROM content&key=abc',
    );
    expect(parseRecommendQuery(q)).toEqual({
      ok: true,
      value: {
        limit: 3,
        rank: "recent",
        visited: false,
        shuffle: true,
        contentsegment: "blog",
        ql: 'FILTER AND(url LIKE "www.example.com/*") FROM content',
        topics: [],
        include: [],
        exclude: [],
      },
    });
  });

  it("name every bad parameter", () => {
    const r = parseRecommendQuery(
      new URLSearchParams("limit=51&rank=best&visited=maybe&shuffle=yes&contentsegments=[{}]&limit=2"),
    );
    expect(r).toEqual({
      ok: false,
      status: 400,
      problems: [
        { path: "visited", message: "expected true or false" },
        { path: "shuffle", message: "expected true or false" },
        { path: "limit", message: "given more than once" },
        { path: "limit", message: "expected an integer from 1 to 50" },
        { path: "rank", message: "expected one of affinity, popular, recent" },
        { path: "contentsegments", message: "not supported: send a SegmentQL filter as contentsegment or ql" },
      ],
    });
    for (const limit of ["0", "-1", "2.5", "ten", "1e2"]) expect(parseRecommendQuery({ limit }).ok, limit).toBe(false);
    expect(parseRecommendQuery({ url: Array.from({ length: 21 }, () => "*") }).ok).toBe(false);
  });
});

describe("at scale", () => {
  /** 10,000 documents over 40 topics, a profile with 200 visited documents. */
  function corpus(seed: number) {
    let s = seed;
    const rnd = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
    const many: ContentDocument[] = Array.from({ length: 10_000 }, (_, i) => {
      const topics: Record<string, number> = {};
      for (let k = 0; k < 4; k++) topics[`t${Math.floor(rnd() * 40)}`] = Math.round(rnd() * 100) / 100 || 0.01;
      return {
        ...newDocument(`example.com/d/${i}`, "discovery", NOW - 90 * DAY),
        published: new Date(NOW - Math.floor(rnd() * 365) * DAY).toISOString(),
        topics,
        unique_visitors: Math.floor(rnd() * 50),
        views: Math.floor(rnd() * 100),
      };
    });
    let profile = emptyAffinityState();
    for (let i = 0; i < 200; i++) profile = recordView(profile, many[i * 37]!, NOW - (200 - i) * 3600_000).state;
    return { many, profile };
  }

  it("selects the same top documents as sorting the whole corpus", () => {
    const { many, profile } = corpus(42);
    for (const rank of ["affinity", "popular", "recent"]) {
      const p = params({ rank, limit: "20" });
      const fast = recommend({ docs: many, profile, params: p, now: NOW });
      const all = recommend({ docs: many, profile, params: { ...p, limit: many.length }, now: NOW });
      expect(fast, rank).toEqual(all.slice(0, 20));
      expect(all).toHaveLength(10_000 - 200);
      for (let i = 1; i < all.length; i++) expect(all[i - 1]!.confidence).toBeGreaterThanOrEqual(all[i]!.confidence);
    }
  });
});
