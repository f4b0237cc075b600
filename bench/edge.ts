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
//
// "Ladder" rows show where the ceiling is for any design that keeps each
// person in their own Durable Object: the hello world behind the assets
// router (Pathlight serves its files from the same worker, worker first),
// the hello world plus one no-op RPC to a per-visitor object, and plus one
// RPC that writes one SQLite row. What lies between the last rung and a
// Pathlight route is Pathlight's own cost. Each timed slot starts after one
// request per visitor: workerd evicts objects idle for a few seconds, and
// without it a slot would measure object start-up rather than the route.
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
/** The same hello world with an assets directory served worker-first, as Pathlight's wrangler.toml does. */
const HELLO_ASSETS_CONFIG = "bench/hello/wrangler.assets.toml";
/** The hello world behind one service binding (on workerd directly only): the cost of one hop between workers. */
const HELLO_HOP_CONFIG = "bench/hello/wrangler.hop.toml";
/** The commit before this round of cuts to the per-request and collect paths (default: fa260e3, where the edge-direct round began): its worker runs beside the current one. */
const BEFORE = process.env.BENCH_EDGE_BEFORE ?? "fa260e3";

type Server = "hello" | "helloAssets" | "helloHop" | "app" | "before";

interface Target {
  name: string;
  /**
   * Which server: the hello world (bare, behind the assets router, or behind one service binding), Pathlight, or
   * Pathlight as it was at BEFORE. A target whose server a mode does not start is not run in that mode.
   */
  on: Server;
  method: "GET" | "POST";
  path: (i: number) => string;
  headers?: Record<string, string>;
  body?: (i: number) => string;
}

const LADDER_HOP = "ladder: hello behind 1 service binding (one worker-to-worker hop)";
const LADDER_ASSETS = "ladder: hello behind the assets router";
const LADDER_NOOP = "ladder: hello + 1 no-op DO RPC";
const LADDER_WRITE = "ladder: hello + 1 DO RPC writing 1 SQLite row";
const LADDER_ASSETS_NOOP = "ladder: hello behind the assets router + 1 no-op DO RPC";
const LADDER_ASSETS_WRITE = "ladder: hello behind the assets router + 1 DO RPC writing 1 SQLite row";

const uid = (i: number) => `visitor-${i % VISITORS}`;
let eventNo = 0;
const event = (i: number) => ({ _uid: uid(i), _eid: `e${eventNo++}`, url: `/page-${i % 7}`, plan: "pro" });

const TARGETS: Target[] = [
  { name: "hello world (bare Hono)", on: "hello", method: "GET", path: () => "/" },
  { name: LADDER_HOP, on: "helloHop", method: "GET", path: () => "/" },
  { name: LADDER_ASSETS, on: "helloAssets", method: "GET", path: () => "/" },
  { name: "ladder: hello + 1 no-op DO RPC", on: "hello", method: "GET", path: (i) => `/do/noop?v=${uid(i)}` },
  {
    name: "ladder: hello + 1 DO RPC writing 1 SQLite row",
    on: "hello",
    method: "POST",
    path: (i) => `/do/write?v=${uid(i)}`,
  },
  // Pathlight's shape: its routes run behind the assets router too (wrangler.toml, `run_worker_first`).
  { name: LADDER_ASSETS_NOOP, on: "helloAssets", method: "GET", path: (i) => `/do/noop?v=${uid(i)}` },
  { name: LADDER_ASSETS_WRITE, on: "helloAssets", method: "POST", path: (i) => `/do/write?v=${uid(i)}` },
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
    // The row above moves a visitor's url on every event, so 2 events in 7 enter or leave the "pricing" audience
    // (outbox, queue, consumer, audience index). Here each visitor keeps their own url: no audience changes after
    // the first event, so this row is what storing one event of a known person costs.
    name: "collect, 1 event, no audience change",
    on: "app",
    method: "POST",
    path: () => "/c/bench",
    headers: { "content-type": "text/plain" },
    body: (i) => JSON.stringify([{ ...event(i), url: `/page-${(i % VISITORS) % 7}` }]),
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
  /** workerd's CPU time per request (ms), when the run could read it (on workerd directly). */
  cpu?: number;
}

/** Loads one target for `seconds` with autocannon; each request gets its own body. */
async function run(base: string, t: Target, seconds: number, cpuMs?: () => number): Promise<Figures> {
  // Every visitor once first: workerd evicts an object idle for some seconds, and the other
  // targets' slots are longer than that, so without this the slot would measure object start-up.
  await visitAll(base, t);
  let i = 0;
  const cpuBefore = cpuMs?.();
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
    ...(cpuMs && result.requests.total > 0 ? { cpu: (cpuMs() - cpuBefore!) / result.requests.total } : {}),
  };
}

/** One request of `t` per visitor (their objects are live afterwards). */
async function visitAll(base: string, t: Target): Promise<void> {
  let i = 0;
  await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount: VISITORS,
    requests: [
      {
        method: t.method,
        setupRequest: (req) => {
          const n = i++;
          return { ...req, path: t.path(n), headers: { ...t.headers }, ...(t.body ? { body: t.body(n) } : {}) };
        },
      },
    ],
  });
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
  servers: Partial<Record<Server, string>>,
  allTargets = TARGETS,
  cpuMs?: () => number,
): Promise<Map<string, Figures[]>> {
  const targets = chosen(allTargets).filter((t) => servers[t.on] !== undefined);
  await prepare(servers.app!);
  if (servers.before) await prepare(servers.before);
  // Warm-up: every visitor exists, code is compiled, caches are warm.
  for (const t of targets) await visitAll(servers[t.on]!, t);
  const all = new Map<string, Figures[]>();
  for (let round = 0; round < ROUNDS; round++)
    for (const t of targets) {
      const f = await run(servers[t.on]!, t, DURATION_S, cpuMs);
      all.set(t.name, [...(all.get(t.name) ?? []), f]);
    }
  console.log(`\nedge — ${mode}`);
  print(all, targets);
  if (cpuMs)
    console.log(
      "edge: workerd CPU ms/req is the CPU time of the whole workerd process (every isolate: the assets router, the worker, its Durable Objects; the runtime's own threads) per request served, read from /proc — less sensitive to other agents' load than req/s",
    );
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
      ...(fs.some((f) => f.cpu !== undefined)
        ? { cpu: mean(fs.filter((f) => f.cpu !== undefined).map((f) => f.cpu!)) }
        : {}),
    };
  };
  const hello = avg(TARGETS[0]!.name);
  const write = avg(LADDER_WRITE);
  // Pathlight's own shape: the same DO write behind the assets router (absent where that rung did not run).
  const routerWrite = all.has(LADDER_ASSETS_WRITE) ? avg(LADDER_ASSETS_WRITE) : null;
  const cpu = hello.cpu !== undefined;
  console.log(
    `| target | req/s | × hello | × DO write |${routerWrite ? " × router + DO write |" : ""} p50 ms | × hello | p99 ms | × hello |${cpu ? " workerd CPU ms/req | × hello |" : ""} errors |`,
  );
  console.log(`|---|--:|--:|--:|${routerWrite ? "--:|" : ""}--:|--:|--:|--:|${cpu ? "--:|--:|" : ""}--:|`);
  for (const t of targets) {
    const f = avg(t.name);
    const cpuCells = cpu ? ` ${f.cpu!.toFixed(2)} | ${(f.cpu! / hello.cpu!).toFixed(1)} |` : "";
    const routerCell = routerWrite ? ` ${(f.rps / routerWrite.rps).toFixed(2)} |` : "";
    console.log(
      `| ${t.name} | ${f.rps.toFixed(0)} | ${(f.rps / hello.rps).toFixed(2)} | ${(f.rps / write.rps).toFixed(2)} |${routerCell} ${f.p50.toFixed(1)} | ${(f.p50 / hello.p50).toFixed(1)} | ${f.p99.toFixed(1)} | ${(f.p99 / hello.p99).toFixed(1)} |${cpuCells} ${f.errors} |`,
    );
  }
  const pct = (name: string) => (all.has(name) ? `${((avg(name).rps / hello.rps) * 100).toFixed(0)}%` : "—");
  console.log(
    `edge: collect ${pct("collect, 1 event")} and /personalize ${pct("/personalize")} of the hello world's req/s (goal on workerd directly: >= 50%)`,
  );
  console.log(
    `edge: the ceiling of a per-profile Durable Object design — the assets router alone leaves ${pct(LADDER_ASSETS)}, one no-op DO RPC ${pct(LADDER_NOOP)}, one DO RPC with one SQLite write ${pct(LADDER_WRITE)} of the hello world; "× DO write" is each row against that last rung`,
  );
  if (routerWrite)
    console.log(
      `edge: Pathlight's shape (its routes run behind the assets router, wrangler.toml \`run_worker_first\`): the hello world behind the router with one no-op DO RPC leaves ${pct(LADDER_ASSETS_NOOP)}, with one DO write ${pct(LADDER_ASSETS_WRITE)}${all.has(LADDER_HOP) ? `; one worker-to-worker hop alone leaves ${pct(LADDER_HOP)}` : ""}; "× router + DO write" is each row against that rung`,
    );
}

console.log(
  `edge: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per target × ${ROUNDS} interleaved rounds (mean shown); ${VISITORS} visitors (one Durable Object each in the ladder rows, one profile each in Pathlight's); account with 5 audiences; each timed slot starts after one request per visitor, so it measures live objects, not their start-up (workerd evicts idle objects); load generator, workerd and other agents share 2 cores`,
);

// BENCH_EDGE_MODES=direct (or wrangler, or profile) runs one part only, and
// BENCH_EDGE_ONLY=<regexp> only the targets whose names match it (the hello
// world and the DO-write rung always run: they are the ratios' baselines), while iterating.
const MODES = (process.env.BENCH_EDGE_MODES ?? "wrangler,direct,profile").split(",");
const ONLY = process.env.BENCH_EDGE_ONLY ? new RegExp(process.env.BENCH_EDGE_ONLY) : null;
const chosen = (targets: Target[]) =>
  targets.filter(
    (t) => !ONLY || ONLY.test(t.name) || t === TARGETS[0] || t.name === LADDER_WRITE || t.name === LADDER_ASSETS_WRITE,
  );
const APP_VARS = { ADMIN_TOKEN, PATHLIGHT_ENV: "development" };

// Through `wrangler dev`: each worker behind its own wrangler proxy.
if (MODES.includes("wrangler")) {
  const [app, hello, helloAssets] = await Promise.all([
    startServer(),
    startServer({}, { config: HELLO_CONFIG, readyPath: "/" }),
    startServer({}, { config: HELLO_ASSETS_CONFIG, readyPath: "/" }),
  ]);
  try {
    await measure("through `wrangler dev`", { hello: hello.url, helloAssets: helloAssets.url, app: app.url });
  } finally {
    await Promise.all([app.stop(), hello.stop(), helloAssets.stop()]);
  }
}

// On workerd directly: every worker in one workerd, each on its own socket.
if (MODES.includes("direct")) {
  const before = sourcesAt(BEFORE);
  const w = await startWorkerd([
    { name: "app", config: "wrangler.toml", vars: APP_VARS },
    { name: "before", config: before.config, vars: APP_VARS },
    { name: "hello", config: HELLO_CONFIG },
    { name: "helloAssets", config: HELLO_ASSETS_CONFIG },
    { name: "helloHop", config: HELLO_HOP_CONFIG },
  ]);
  // The same routes on the worker as it was at BEFORE, in the same workerd and rounds.
  const olds = TARGETS.filter((t) => t.on === "app").map((t) => ({
    ...t,
    on: "before" as const,
    name: `${t.name} — before (${before.commit})`,
  }));
  try {
    await measure(
      `on workerd directly (Miniflare, the bundle \`wrangler deploy\` builds; "before" rows: the worker at ${before.commit}, before this round of cuts)`,
      w.urls as Partial<Record<Server, string>>,
      [...TARGETS, ...olds],
      w.cpuMs,
    );
  } finally {
    await w.stop();
  }
}

/** The targets whose CPU profiles are printed. */
const PROFILES_SHOWN = [
  "/health",
  "collect, 1 event",
  "collect, 1 event, no audience change",
  "collect, 1 page view",
  "collect, batch of 20",
  "/personalize",
];

/** How many functions each printed profile lists. */
const PROFILE_TOP = Number(process.env.BENCH_EDGE_PROFILE_TOP ?? 20);

/** Calls of each profiled target. */
const PROFILED_CALLS = Number(process.env.BENCH_EDGE_PROFILE_CALLS ?? 400);

/** Runs `calls` requests of `t` (4 connections) with the worker's profiler on. */
async function profileTarget(inspectorPort: number, worker: string, url: string, t: Target, calls = PROFILED_CALLS) {
  await visitAll(url, t);
  let served = 0;
  let n = 0;
  const profile = await profileWhile(inspectorPort, worker, async () => {
    const r = await autocannon({
      url,
      connections: 4,
      amount: calls,
      requests: [
        {
          method: t.method,
          setupRequest: (req) => {
            const i = n++;
            return { ...req, path: t.path(i), headers: { ...t.headers }, ...(t.body ? { body: t.body(i) } : {}) };
          },
        },
      ],
    });
    served = r.requests.total;
  });
  return { ...profile, served, perCall: profile.total / served };
}

// Where the CPU goes: each worker's own profile (its isolate: the worker and
// its Durable Objects) while it takes a fixed number of calls. CPU per call
// is less noisy than req/s on a shared machine.
if (MODES.includes("profile")) {
  const inspectorPort: number = await freePort();
  const w = await startWorkerd(
    [
      { name: "app", config: "wrangler.toml", vars: APP_VARS },
      { name: "hello", config: HELLO_CONFIG },
    ],
    { inspectorPort },
  );
  try {
    await prepare(w.urls.app!);
    console.log(
      `\nedge — the isolate's busy time per call (its own CPU profile: the worker and its Durable Objects, not the assets router nor the runtime's I/O; ${PROFILED_CALLS} calls each, 4 connections; a busy sample also counts time the OS gave other processes):`,
    );
    console.log("| target | busy ms per call | × hello |");
    console.log("|---|--:|--:|");
    let helloMs = 0;
    const profiles = new Map<string, Awaited<ReturnType<typeof profileTarget>>>();
    for (const t of chosen(TARGETS).filter((t) => t.on === "hello" || t.on === "app")) {
      const p = await profileTarget(inspectorPort, t.on, w.urls[t.on]!, t);
      profiles.set(t.name, p);
      if (t === TARGETS[0]) helloMs = p.perCall;
      console.log(`| ${t.name} | ${p.perCall.toFixed(3)} | ${(p.perCall / helloMs).toFixed(1)} |`);
    }
    for (const name of PROFILES_SHOWN) {
      const found = profiles.get(name);
      if (!found) continue;
      const { total, rows, inclusive } = found;
      console.log(`\nedge — CPU profile of ${name}: top functions by self time:`);
      for (const r of rows.slice(0, PROFILE_TOP))
        console.log(`  ${((r.ms / total) * 100).toFixed(1).padStart(5)}%  ${r.fn}`);
      console.log(`edge — ${name}, inclusive time (the function and what it calls):`);
      for (const r of inclusive.filter((r) => !r.fn.startsWith("(")).slice(0, PROFILE_TOP + 5))
        console.log(`  ${((r.ms / total) * 100).toFixed(1).padStart(5)}%  ${r.fn}`);
    }
  } finally {
    await w.stop();
  }
}
