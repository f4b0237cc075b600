// Edge throughput against the runtime's ceiling (PRODUCT.md §8; issue 15).
//
// One run, one load generator (autocannon, in this process), three kinds of
// target on the same workerd: a bare hello-world Hono worker
// (bench/hello/), Pathlight's /health, and Pathlight's routes — collect one
// event, collect a batch of 20, /personalize, /collect/json. Each is loaded
// twice: through `wrangler dev` (its proxy in front) and on workerd directly
// (Miniflare, each worker on its own socket of one workerd). Rounds
// interleave the targets so a noisy neighbour hurts every target alike.
// Prints req/s, p50 and p99 latency, and each as a ratio to the hello world
// of the same mode. Budget: collect and /personalize >= 50% of the hello
// world on workerd directly.
import autocannon from "autocannon";
import { ADMIN_TOKEN, seed, startServer } from "./harness";
import { profileWhile } from "./lib/cpu-profile";
import { sourcesAt, startWorkerd } from "./lib/workerd";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort } from "../scripts/dev-server.mjs";

const DURATION_S = Number(process.env.BENCH_EDGE_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_EDGE_ROUNDS ?? 2);
const CONNECTIONS = 16;
const VISITORS = 200;
const HELLO_CONFIG = "bench/hello/wrangler.toml";
/** The commit before the collect path was profiled and cut: its worker runs beside the current one. */
const BEFORE = process.env.BENCH_EDGE_BEFORE ?? "e4baded";

interface Target {
  name: string;
  /** Which server: the hello world, Pathlight, or Pathlight as it was before the collect path was cut. */
  on: "hello" | "app" | "before";
  method: "GET" | "POST";
  path: (i: number) => string;
  headers?: Record<string, string>;
  body?: (i: number) => string;
}

const uid = (i: number) => `visitor-${i % VISITORS}`;
let eventNo = 0;
const event = (i: number) => ({ _uid: uid(i), _eid: `e${eventNo++}`, url: `/page-${i % 7}`, plan: "pro" });

const TARGETS: Target[] = [
  { name: "hello world (bare Hono)", on: "hello", method: "GET", path: () => "/" },
  { name: "/health", on: "app", method: "GET", path: () => "/health" },
  {
    name: "collect, 1 event",
    on: "app",
    method: "POST",
    path: () => "/c/bench",
    headers: { "content-type": "text/plain" },
    body: (i) => JSON.stringify([event(i)]),
  },
  {
    // What the tag sends on each page load: a page view of an article (content discovery and view counts).
    name: "collect, 1 page view",
    on: "app",
    method: "POST",
    path: () => "/c/bench",
    headers: { "content-type": "text/plain" },
    body: (i) =>
      JSON.stringify([
        { ...event(i), _e: "pv", url: `localhost/articles/${i % 7}`, _content: { title: `Trail story ${i % 7}` } },
      ]),
  },
  {
    name: "collect, batch of 20",
    on: "app",
    method: "POST",
    path: () => "/c/bench",
    headers: { "content-type": "text/plain" },
    // A page's outbox flush: 20 events of one visitor.
    body: (i) => JSON.stringify(Array.from({ length: 20 }, () => event(i))),
  },
  { name: "/personalize", on: "app", method: "GET", path: (i) => `/personalize?cid=bench&uid=${uid(i)}` },
  {
    name: "/collect/json (token)",
    on: "app",
    method: "POST",
    path: () => "/collect/json/default?cid=bench",
    headers: { "content-type": "application/json", authorization: ADMIN_TOKEN },
    body: (i) => JSON.stringify({ ...event(i), _uid: undefined, user_id: `user-${i % VISITORS}` }),
  },
];

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Loads one target for `seconds` with autocannon; each request gets its own body. */
async function run(base: string, t: Target, seconds: number): Promise<Figures> {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: t.method,
        setupRequest: (req) => {
          const n = i++;
          return {
            ...req,
            path: t.path(n),
            headers: { ...t.headers },
            ...(t.body ? { body: t.body(n) } : {}),
          };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** The bench account: 5 audiences, surfaced fields, no rate limit in the way. */
async function prepare(app: string): Promise<void> {
  await seed(app, {
    cid: "bench",
    domains: ["localhost"],
    surfaced_fields: ["plan"],
    rate_limit_per_second: 100_000,
  });
  for (const [slug, ql] of [
    ["pro", 'FILTER plan = "pro"'],
    ["returning", "FILTER visitct >= 2"],
    ["pricing", 'FILTER url = "/page-3"'],
    ["engaged", 'FILTER AND (_sessions >= 1, plan = "pro")'],
    ["known", "FILTER EXISTS user_id"],
  ]) {
    const res = await fetch(`${app}/v2/segment?cid=bench`, {
      method: "POST",
      headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
      body: JSON.stringify({ slug_name: slug, segment_ql: ql, is_public: true }),
    });
    if (!res.ok) throw new Error(`audience ${slug}: ${res.status} ${await res.text()}`);
  }
}

async function measure(
  mode: string,
  servers: { hello: string; app: string; before?: string },
  targets = TARGETS,
): Promise<Map<string, Figures[]>> {
  await prepare(servers.app);
  if (servers.before) await prepare(servers.before);
  // Warm-up: every visitor exists, code is compiled, caches are warm.
  for (const t of targets) await run(servers[t.on]!, t, 1);
  const all = new Map<string, Figures[]>();
  for (let round = 0; round < ROUNDS; round++)
    for (const t of targets) {
      const f = await run(servers[t.on]!, t, DURATION_S);
      all.set(t.name, [...(all.get(t.name) ?? []), f]);
    }
  console.log(`\nedge — ${mode}`);
  print(all, targets);
  return all;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function print(all: Map<string, Figures[]>, targets: Target[]): void {
  const avg = (name: string): Figures => {
    const fs = all.get(name)!;
    return {
      rps: mean(fs.map((f) => f.rps)),
      p50: mean(fs.map((f) => f.p50)),
      p99: mean(fs.map((f) => f.p99)),
      errors: fs.reduce((a, f) => a + f.errors, 0),
    };
  };
  const hello = avg(TARGETS[0]!.name);
  console.log("| target | req/s | × hello | p50 ms | × hello | p99 ms | × hello | errors |");
  console.log("|---|--:|--:|--:|--:|--:|--:|--:|");
  for (const t of targets) {
    const f = avg(t.name);
    console.log(
      `| ${t.name} | ${f.rps.toFixed(0)} | ${(f.rps / hello.rps).toFixed(2)} | ${f.p50.toFixed(1)} | ${(f.p50 / hello.p50).toFixed(1)} | ${f.p99.toFixed(1)} | ${(f.p99 / hello.p99).toFixed(1)} | ${f.errors} |`,
    );
  }
  const pct = (name: string) => `${((avg(name).rps / hello.rps) * 100).toFixed(0)}%`;
  console.log(
    `edge: collect ${pct("collect, 1 event")} and /personalize ${pct("/personalize")} of the hello world's req/s (goal on workerd directly: >= 50%)`,
  );
}

console.log(
  `edge: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per target × ${ROUNDS} interleaved rounds (mean shown); ${VISITORS} visitors; account with 5 audiences; load generator, workerd and other agents share 2 cores`,
);

// BENCH_EDGE_MODES=direct (or wrangler, or profile) runs one part only, while iterating.
const MODES = (process.env.BENCH_EDGE_MODES ?? "wrangler,direct,profile").split(",");

// Through `wrangler dev`: each worker behind its own wrangler proxy.
if (MODES.includes("wrangler")) {
  const app = await startServer();
  const hello = await startServer({}, { config: HELLO_CONFIG, readyPath: "/" });
  try {
    await measure("through `wrangler dev`", { hello: hello.url, app: app.url });
  } finally {
    await Promise.all([app.stop(), hello.stop()]);
  }
}

// On workerd directly: both workers in one workerd, each on its own socket.
if (MODES.includes("direct")) {
  const before = sourcesAt(BEFORE);
  const vars = { ADMIN_TOKEN, PATHLIGHT_ENV: "development" };
  const w = await startWorkerd([
    { name: "app", config: "wrangler.toml", vars },
    { name: "before", config: before.config, vars },
    { name: "hello", config: HELLO_CONFIG },
  ]);
  // The same routes on the worker as it was at BEFORE, in the same workerd and rounds.
  const olds = TARGETS.filter((t) => t.on === "app" && t.name !== "/health").map((t) => ({
    ...t,
    on: "before" as const,
    name: `${t.name} — before (${before.commit})`,
  }));
  try {
    await measure(
      `on workerd directly (Miniflare, the bundle \`wrangler deploy\` builds; "before" rows: the worker at ${before.commit}, before the collect path was cut)`,
      { hello: w.urls.hello!, app: w.urls.app!, before: w.urls.before! },
      [...TARGETS, ...olds],
    );
  } finally {
    await w.stop();
  }
}

// Where collect's CPU goes: the worker's own profile while it takes single
// collect calls (BENCH_EDGE_MODES=profile, or part of the full run).
if (MODES.includes("profile")) {
  const inspectorPort: number = await freePort();
  const w = await startWorkerd(
    [{ name: "app", config: "wrangler.toml", vars: { ADMIN_TOKEN, PATHLIGHT_ENV: "development" } }],
    { inspectorPort },
  );
  try {
    await prepare(w.urls.app!);
    const collect = TARGETS.find((t) => t.name === "collect, 1 event")!;
    await run(w.urls.app!, collect, 1);
    let served = 0;
    const { total, rows, inclusive } = await profileWhile(inspectorPort, "app", async () => {
      const r = await autocannon({
        url: w.urls.app!,
        connections: 4,
        amount: 300,
        requests: [
          {
            method: "POST",
            setupRequest: (req) => ({
              ...req,
              path: "/c/bench",
              headers: collect.headers,
              body: collect.body!(served),
            }),
          },
        ],
      });
      served = r.requests.total;
    });
    console.log(
      `\nedge — CPU profile of collect (1 event a call, ${served} calls): ${(total / served).toFixed(2)} ms of worker CPU per call; top functions by self time:`,
    );
    for (const r of rows.slice(0, 25)) console.log(`  ${((r.ms / total) * 100).toFixed(1).padStart(5)}%  ${r.fn}`);
    console.log("edge — the same profile, inclusive time (the function and what it calls):");
    for (const r of inclusive.filter((r) => !r.fn.startsWith("(")).slice(0, 30))
      console.log(`  ${((r.ms / total) * 100).toFixed(1).padStart(5)}%  ${r.fn}`);
  } finally {
    await w.stop();
  }
}
