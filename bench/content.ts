// Recommendation latency on local workerd (wrangler dev): an account with
// 10,000 documents and a visitor who viewed 200 of them, against
// /personalize for the same visitor in the same run. Also the in-process
// cost of the ranking itself (no HTTP, no storage): `rank` over the rank
// entries the content object keeps in memory, for the same data.
import { parseRecommendQuery, rank } from "../edge/content/recommend";
import { rankEntryOf } from "../edge/content/rank-entry";
import type { ContentDocument } from "../edge/content/contract";
import { emptyAffinityState, recordView } from "../edge/profiles/affinity/affinity";
import { ADMIN_TOKEN, load, percentile, seed, startServer } from "./harness";

const DURATION_MS = Number(process.env.BENCH_MS ?? 4000);
const CONCURRENCY = 4;
const DOCS = 10_000;
const VISITED = 200;
const TOPICS = Array.from({ length: 60 }, (_, i) => `topic${i}`);
const WORDS =
  "alpine brew canyon dawn ember fjord grove harbor island juniper kettle lantern meadow north orchard".split(" ");

/** Deterministic pseudo-random numbers. */
let seedState = 42;
const rand = () => (seedState = (seedState * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

const docInput = (i: number) => ({
  url: `https://bench.example/articles/${i}`,
  title: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${i}`,
  description: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`,
  keywords: [pick(TOPICS), pick(TOPICS)],
  published: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
});

/** Alternates `a` and `b` over `concurrency` clients for `ms`; latency percentiles of each. */
async function interleaved(
  ms: number,
  concurrency: number,
  a: () => Promise<Response>,
  b: () => Promise<Response>,
): Promise<{ a: { p50: number; p99: number }; b: { p50: number; p99: number } }> {
  const end = performance.now() + ms;
  const la: number[] = [];
  const lb: number[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const second = i++ % 2 === 1;
        const t = performance.now();
        const res = await (second ? b() : a());
        await res.arrayBuffer();
        (second ? lb : la).push(performance.now() - t);
      }
    }),
  );
  const stats = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
  return { a: stats(la), b: stats(lb) };
}

const row = (name: string, r: { rps: number; p50: number; p99: number; errors: number }) =>
  `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   errors ${r.errors}`;

// ---- ranking alone, in process ----
{
  const now = Date.now();
  const docs: ContentDocument[] = Array.from({ length: DOCS }, (_, i) => {
    const d = docInput(i);
    return {
      url: d.url.replace("https://", ""),
      title: d.title,
      description: d.description,
      keywords: d.keywords,
      topics: Object.fromEntries([...d.keywords.map((k) => [k, 1]), [pick(WORDS), 0.6], [pick(WORDS), 0.4]]),
      manual_topics: false,
      views: Math.floor(rand() * 1000),
      unique_visitors: Math.floor(rand() * 500),
      created: d.published,
      updated: d.published,
      published: d.published,
      source: "api",
    };
  });
  let state = emptyAffinityState();
  for (let i = 0; i < VISITED; i++) state = recordView(state, docs[i * 37]!, now - (VISITED - i) * 3_600_000).state;
  const params = parseRecommendQuery({ limit: "10" });
  if (!params.ok) throw new Error("params");
  const entries = docs.map(rankEntryOf);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    rank({ entries, profile: state, params: params.value, now });
    times.push(performance.now() - t);
  }
  console.log(
    `content: ranking alone (in process): ${DOCS} documents, ${VISITED} visited, limit 10: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`,
  );
}

// ---- over HTTP on wrangler dev ----
const server = await startServer();
try {
  const { url } = server;
  await seed(url, { cid: "bench", domains: ["localhost"], surfaced_fields: ["plan"], rate_limit_per_second: 100_000 });
  const headers = { authorization: ADMIN_TOKEN, "content-type": "application/json" };
  for (let start = 0; start < DOCS; start += 1000) {
    const res = await fetch(`${url}/api/content/doc?cid=bench`, {
      method: "POST",
      headers,
      body: JSON.stringify(Array.from({ length: 1000 }, (_, k) => docInput(start + k))),
    });
    if (res.status !== 201) throw new Error(`seeding documents: ${res.status} ${await res.text()}`);
  }
  // One visitor reads 200 documents (page views through collect, as the tag sends them).
  const uid = "reader";
  const now = Date.now();
  const views = Array.from({ length: VISITED }, (_, i) => ({
    _e: "pv",
    _uid: uid,
    _ts: now - (VISITED - i) * 60_000,
    url: `bench.example/articles/${i * 37}`,
    _content: { url: `https://bench.example/articles/${i * 37}` },
  }));
  const res = await fetch(`${url}/c/bench`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify(views),
  });
  if (!res.ok) throw new Error(`collect: ${res.status} ${await res.text()}`);
  const check = await (await fetch(`${url}/api/content/recommend/bench/user/_uid/${uid}?limit=10`)).json();
  if (!Array.isArray(check.data) || check.data.length !== 10) throw new Error(`recommend: ${JSON.stringify(check)}`);

  const personalize = () => fetch(`${url}/personalize?cid=bench&uid=${uid}`);
  const recommendation = () => fetch(`${url}/api/content/recommend/bench/user/_uid/${uid}?limit=10`);
  await load(1000, CONCURRENCY, personalize);
  await load(1000, CONCURRENCY, recommendation);
  const p = await load(DURATION_MS, CONCURRENCY, personalize);
  const r = await load(DURATION_MS, CONCURRENCY, recommendation);
  console.log(
    `content: ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s each, wrangler dev on 127.0.0.1; ${DOCS} documents, a visitor with ${VISITED} visited`,
  );
  console.log(row("personalize", p));
  console.log(row("recommend (affinity, limit 10)", r));
  console.log(
    `content: recommendation p50 ${(r.p50 / p.p50).toFixed(2)}× and p99 ${(r.p99 / p.p99).toFixed(2)}× /personalize`,
  );
  // The same two calls alternating in one window, so both meet the same machine load (other work on a shared
  // machine moves the sequential windows above apart).
  const both = await interleaved(DURATION_MS, CONCURRENCY, personalize, recommendation);
  console.log(
    `content: interleaved in one window: personalize p50 ${both.a.p50.toFixed(1)} ms p99 ${both.a.p99.toFixed(1)} ms; recommend p50 ${both.b.p50.toFixed(1)} ms p99 ${both.b.p99.toFixed(1)} ms; recommendation p50 ${(both.b.p50 / both.a.p50).toFixed(2)}× and p99 ${(both.b.p99 / both.a.p99).toFixed(2)}× /personalize`,
  );
} finally {
  await server.stop();
}
