/**
 * SegmentQL at scale, the write side (§8): the time to add one audience to an
 * account that already has 100, 1,000 and 10,000, through the public API
 * (`POST /v2/segment`: validation, the account object's upsert, the size
 * lookup) on workerd directly (Miniflare, the bundle `wrangler deploy`
 * builds), and the time of the next event of a known person after each add
 * (its profile object brings its compiled audiences up to the new version).
 * Both should stay flat as the count grows. Figures only.
 *
 * The same workerd also runs the worker as it was at BENCH_ADD_BEFORE
 * (default db0e7a2: oversize queue messages already go as references, but
 * settle still evaluates every audience twice per event and an added
 * audience still rebuilds the compiled set's index over every audience;
 * `none` skips it), seeded the same way
 * after it, with the probes interleaved. The first table is the one this
 * bench always printed (the current worker). The second splits the
 * next event's workerd CPU, read with nanosecond resolution
 * (/proc/<pid>/task/<tid>/schedstat, every thread of the process): the
 * first probe's event catches up on every audience added while seeding
 * (thousands at once), the others on one add each, so a mean over all
 * probes mostly measures the first. BENCH_ADD_PROFILE=1 prints a CPU
 * profile of the current worker's events after one add at the largest
 * count (stderr); BENCH_ADD_STEPS (default `100,1000,10000`) the counts.
 *
 * Run: npm run bench -- segmentql-add
 */
import { readdirSync, readFileSync } from "node:fs";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort } from "../scripts/dev-server.mjs";
import { ADMIN_TOKEN, median, percentile, seed } from "./harness";
import { profileWhile } from "./lib/cpu-profile";
import { type DirectWorker, sourcesAt, startWorkerd } from "./lib/workerd";

const CID = "adds";
const STEPS = (process.env.BENCH_ADD_STEPS ?? "100,1000,10000").split(",").map(Number);
const PROBES = 15;
const CONCURRENCY = 6;

const TOPICS = ["pricing", "security", "ai", "analytics", "mobile", "cloud"];
const COUNTRIES = ["US", "CA", "GB", "FR", "DE", "ES", "IT", "BR", "JP"];

/** A realistic audience (SegmentQL text); every tenth INCLUDEs an earlier one. */
function audienceText(k: number): string {
  const body = [
    `AND ( visitct > ${1 + (k % 20)}, last_visit > "now-${1 + (k % 30)}d" )`,
    `AND ( country IN ("${COUNTRIES[k % 9]}", "${COUNTRIES[(k + 3) % 9]}"), score_momentum >= ${k % 100} )`,
    `OR ( email LIKE "*@d${k % 50}.com", plan = "pro" )`,
    `AND ( content_topics.${TOPICS[k % 6]} >= 0.${1 + (k % 8)}, EXISTS email )`,
    `AND ( ltv BETWEEN ${k % 500} AND ${600 + (k % 5000)}, orders >= ${1 + (k % 5)} )`,
  ][k % 5] as string;
  const include = k % 10 === 9 && k > 10 ? `, INCLUDE aud_${k - 7}` : "";
  return `FILTER AND ( ${body}${include} ) FROM user ALIAS aud_${k}`;
}

const BEFORE = process.env.BENCH_ADD_BEFORE ?? "db0e7a2";
/** BENCH_ADD_PROFILE=1: a CPU profile of the current worker's next events after one add at the largest count. */
const PROFILE = process.env.BENCH_ADD_PROFILE === "1";
const VARS = { ADMIN_TOKEN, PATHLIGHT_ENV: "development" };

const workers: DirectWorker[] = [{ name: "app", config: "wrangler.toml", vars: VARS }];
const before = BEFORE === "none" ? null : sourcesAt(BEFORE);
if (before) workers.push({ name: "before", config: before.config, vars: VARS });
const inspectorPort: number | undefined = PROFILE ? await freePort() : undefined;
const w = await startWorkerd(workers, { inMemory: true, ...(inspectorPort ? { inspectorPort } : {}) });

/** CPU nanoseconds used so far by every thread of the workerd process (schedstat: finer than /proc/<pid>/stat's 10 ms ticks). */
function cpuNs(): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${w.pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${w.pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {} // the thread ended meanwhile
  }
  return total;
}

/** One worker under test: its URL, the next audience number and what its probes measured at the current count. */
interface Target {
  name: string;
  url: string;
  next: number;
  adds: number[];
  events: number[];
  /** /proc/<pid>/stat CPU (10 ms ticks) per next event, as the first table always printed. */
  eventCpu: number[];
  /** schedstat CPU ms per next event. */
  eventNs: number[];
}

const targets: Target[] = workers.map((wk) => ({
  name: wk.name === "app" ? "now" : `before (${before!.commit})`,
  url: w.urls[wk.name] as string,
  next: 0,
  adds: [],
  events: [],
  eventCpu: [],
  eventNs: [],
}));
const now = targets[0] as Target;

async function call(url: string, path: string, method: string, body: unknown): Promise<number> {
  const t0 = performance.now();
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}${path}${path.includes("?") ? "&" : "?"}cid=${CID}`, {
      method,
      headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch((e: Error) => e);
    if (res instanceof Response && res.ok) {
      await res.arrayBuffer();
      return performance.now() - t0;
    }
    const why = res instanceof Response ? `${res.status} ${await res.text()}` : res.message;
    if (attempt >= 4) throw new Error(`${method} ${path}: ${why}`);
    await new Promise((r) => setTimeout(r, 300 * attempt));
  }
}

const addAudience = (t: Target): Promise<number> =>
  call(t.url, "/v2/segment", "POST", { segment_ql: audienceText(t.next++) });
const event = (t: Target): Promise<number> =>
  call(t.url, "/collect/json/default", "POST", [
    { email: "known@d1.com", visitct: 5 + t.next, country: "FR", plan: "pro" },
  ]);

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const split: string[] = [];

try {
  for (const t of targets) {
    await seed(t.url, { cid: CID, domains: ["localhost"], rate_limit_per_second: 100_000 });
    await event(t);
  }
  console.log(
    `segmentql-add: time to add one audience (POST /v2/segment with SegmentQL text, ${PROBES} adds at each count) and of the next event of a known person after each add (POST /collect/json, one person: its profile object catches up with the new audience), on workerd directly (Miniflare, in-memory state), one account; seeding ${CONCURRENCY} requests at a time; 2 cores shared with other agents`,
  );
  console.log(
    "| audiences in the account (the last 15 added one by one) | add one: p50 ms | p99 ms | next event after the add: p50 ms | p99 ms | workerd CPU per next event: mean ms | seeding adds/s (to reach this count) |",
  );
  console.log("|--:|--:|--:|--:|--:|--:|--:|");
  for (const target of STEPS) {
    // Each worker is seeded on its own (the rate is its own), then the probes alternate between them.
    const rates = new Map<Target, number>();
    let seeded = 0;
    for (const t of targets) {
      const t0 = performance.now();
      const from = t.next;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (t.next < target - PROBES) await addAudience(t);
        }),
      );
      rates.set(t, ((t.next - from) * 1000) / (performance.now() - t0));
      seeded = t.next - from;
      t.adds = [];
      t.events = [];
      t.eventCpu = [];
      t.eventNs = [];
    }
    const profiled: { fn: string; ms: number }[][] = [];
    for (let j = 0; j < PROBES; j++) {
      for (const t of targets) {
        t.adds.push(await addAudience(t));
        const cpu0 = w.cpuMs();
        const ns0 = cpuNs();
        if (inspectorPort && t === now && target === STEPS[STEPS.length - 1] && j > 0) {
          const p = await profileWhile(inspectorPort, "app", async () => void t.events.push(await event(t)));
          profiled.push(p.inclusive);
        } else t.events.push(await event(t));
        t.eventNs.push((cpuNs() - ns0) / 1e6);
        t.eventCpu.push(w.cpuMs() - cpu0);
      }
    }
    console.log(
      `| ${target.toLocaleString("en")} | ${median(now.adds).toFixed(1)} | ${percentile(now.adds, 99).toFixed(1)} | ${median(now.events).toFixed(1)} | ${percentile(now.events, 99).toFixed(1)} | ${mean(now.eventCpu).toFixed(1)} | ${(rates.get(now) as number).toFixed(0)} |`,
    );
    for (const t of targets) {
      const steady = t.eventNs.slice(1);
      split.push(
        `| ${target.toLocaleString("en")} | ${t.name} | ${seeded.toLocaleString("en")} | ${(t.eventNs[0] as number).toFixed(1)} | ${median(steady).toFixed(2)} | ${mean(steady).toFixed(2)} | ${mean(t.eventNs).toFixed(1)} | ${(rates.get(t) as number).toFixed(0)} |`,
      );
    }
    if (targets.length > 1) {
      const b = targets[1] as Target;
      split.push(
        `| ${target.toLocaleString("en")} | now / before | | ${((now.eventNs[0] as number) / (b.eventNs[0] as number)).toFixed(2)} | ${(median(now.eventNs.slice(1)) / median(b.eventNs.slice(1))).toFixed(2)} | ${(mean(now.eventNs.slice(1)) / mean(b.eventNs.slice(1))).toFixed(2)} | ${(mean(now.eventNs) / mean(b.eventNs)).toFixed(2)} | |`,
      );
    }
    if (profiled.length) {
      const sum = new Map<string, number>();
      for (const rows of profiled) for (const r of rows) sum.set(r.fn, (sum.get(r.fn) ?? 0) + r.ms);
      console.error(
        `next events after one add at ${target}: inclusive ms per event (profiled, so slower than unprofiled)`,
      );
      for (const [fn, ms] of [...sum].sort((a, b) => b[1] - a[1]).slice(0, 40))
        console.error(`  ${(ms / profiled.length).toFixed(2)}  ${fn}`);
    }
  }
  console.log(
    `\nsegmentql-add — workerd CPU of the next event (every thread of the process, /proc schedstat, ns resolution: the event, the profile's catch-up and evaluation, the queue consumer and index it sets off), split: the first probe's event also catches up on every audience added while seeding; each later one on one add. ${before ? `Beside the worker as it was at ${before.commit}, in the same workerd, seeded the same way, probes alternated.` : ""}`,
  );
  console.log(
    "| audiences | worker | added while seeding | first event after seeding: CPU ms | next event after one add (probes 2–15): CPU p50 ms | mean ms | all 15 probes: mean ms | seeding adds/s |",
  );
  console.log("|--:|---|--:|--:|--:|--:|--:|--:|");
  for (const line of split) console.log(line);
} finally {
  await w.stop();
}
