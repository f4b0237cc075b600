// Scale (issue 15): seed 100,000 profiles into an account with 50 audiences
// through the public API in bulk (/collect/json, 50 people a request, 16
// requests at a time), on workerd directly with its state on disk, and print:
// seeding events/s, storage bytes per profile, /personalize p50/p99 at 1k,
// 10k and 100k profiles (it must not grow with the count), the audience index
// sizes against the exact expected sizes, and the time to re-evaluate everyone.
//
// Local workerd keeps an object's SQLite files (database, -wal, -shm) open
// while the object is live and closes them when it is evicted (about 10 s
// after its last request ends). A request that keeps calling objects keeps
// every object it called live until it ends, so the live set during seeding
// is about (people in flight) + (rate × (request time + ~10 s)). Seeding
// therefore watches workerd's open files and pauses while they are above a
// share of `ulimit -n` (waiting for evictions), instead of failing with
// SQLITE_CANTOPEN; it prints the live objects and open files it saw.
//
// /personalize is measured at each checkpoint once seeding has stopped, the
// audience index has caught up and the profile objects have been evicted:
// first on profiles idle long enough to be evicted (each request starts its
// object: the cold-start figure), then on the same profiles again while they
// are live (recently active: the figure that must stay flat with the count).
//
// BENCH_PROFILES scales the count down (the output says so); a time budget
// (BENCH_SCALE_BUDGET_S, default 420 s of seeding, so the whole run fits in
// about 10 minutes) stops seeding early on a slow or busy machine and says
// where it stopped.
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { JOB_PARALLEL, JOB_RATE } from "../edge/audiences/job-limits";
import { ADMIN_TOKEN, seed } from "./harness";
import { profileWhile } from "./lib/cpu-profile";
import { workerdCpuSeconds } from "./lib/proc-cpu";
import { sourcesAt, startWorkerd } from "./lib/workerd";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort } from "../scripts/dev-server.mjs";

const FULL = 100_000;
const TARGET = Number(process.env.BENCH_PROFILES ?? FULL);
const BUDGET_S = Number(process.env.BENCH_SCALE_BUDGET_S ?? 420);
const AUDIENCES = 50;
const BATCH = Number(process.env.BENCH_SCALE_BATCH ?? 50); // people per request (the limit is 200)
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 16);
const CHECKPOINTS = [1_000, 10_000, 100_000].filter((n) => n < TARGET).concat(TARGET);
const PLANS = ["free", "pro", "enterprise"] as const;

/** Profile i's fields. */
const person = (i: number) => ({ _uid: `p${i}`, bucket: i % 40, n: i, plan: PLANS[i % 3]! });

/** Audience k: 40 buckets of one in 40 people, then 10 of "pro" people above a threshold. */
const audience = (k: number) =>
  k < 40
    ? { slug: `bucket_${k}`, ql: `FILTER bucket = ${k}`, test: (i: number) => i % 40 === k }
    : {
        slug: `pro_over_${k - 40}`,
        ql: `FILTER AND (plan = "pro", n >= ${(k - 40) * 1000})`,
        test: (i: number) => i % 3 === 1 && i >= (k - 40) * 1000,
      };

/**
 * Bytes of the files under `dir`. With `databasesOnly`, only the SQLite
 * databases themselves: the -wal and -shm files belong to objects still
 * open (a 32 KiB shared-memory index each) and go when they close.
 */
function bytesUnder(dir: string, databasesOnly = false): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path, databasesOnly);
    else if (!databasesOnly || !/-(wal|shm)$/.test(entry.name))
      total += statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

/** Bytes of the state folders whose name mentions `cls` (each Durable Object class has its own). */
function bytesOf(root: string, cls: string, databasesOnly = false): number {
  let total = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (entry.name.includes(cls)) total += bytesUnder(path, databasesOnly);
      else walk(path);
    }
  };
  walk(root);
  return total;
}

/** BENCH_SCALE_CPU=n: profile the worker's CPU while seeding the first n profiles, print where it goes, and stop. */
const CPU_PROFILE = Number(process.env.BENCH_SCALE_CPU ?? 0);
const inspectorPort: number | undefined = CPU_PROFILE ? await freePort() : undefined;
/** BENCH_SCALE_AT=commit runs the worker as it was at that commit (a before/after on the same machine). */
const AT = process.env.BENCH_SCALE_AT;
const source = AT ? sourcesAt(AT) : { config: "wrangler.toml", commit: "this tree" };
const w = await startWorkerd(
  [
    { name: "app", config: source.config, vars: { ADMIN_TOKEN, PATHLIGHT_ENV: "development" } },
    { name: "floor", config: "bench/new-object/wrangler.toml" },
  ],
  inspectorPort ? { inspectorPort } : {},
);
// An interrupted run still removes its state folder (it grows by ~100 KB a profile).
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void w.stop().finally(() => process.exit(130));
  });
const url = w.urls.app!;
const api = async (path: string, method = "GET", body?: unknown) => {
  const res = await fetch(`${url}${path}${path.includes("?") ? "&" : "?"}cid=scale`, {
    method,
    headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { data: any };
};

/** What the open-files watcher saw: now, and the peaks since `resetPeaks()`. */
const files = { total: 0, objects: 0, profiles: 0, floor: 0, peakTotal: 0, peakProfiles: 0, pausedMs: 0, starts: 0 };
/**
 * Profile databases open at the last look. A database that was not open at
 * the previous look is an object start (a new profile's first call, or a
 * profile started again after its eviction, e.g. by a late confirmation of
 * its outbox); an object stays open ~10 s after its last call, far longer
 * than the 0.5 s between looks.
 */
let openProfiles = new Set<string>();
const LIMIT = Number(/Max open files\s+(\d+)/.exec(readFileSync("/proc/self/limits", "utf8"))?.[1] ?? 0);
/**
 * Seeding pauses while workerd holds more open files than this: a share of
 * the limit, less what the requests in flight may still open (3 files for
 * each of their people) before the next look.
 */
const FILE_CAP = LIMIT
  ? Math.floor(LIMIT * Number(process.env.BENCH_SCALE_FILE_SHARE ?? 0.7)) - CONCURRENCY * BATCH * 3
  : Infinity;

/** Counts workerd's open files; a live object holds its database (`<id>.sqlite`) and its -wal and -shm. */
function lookAtFiles(): void {
  const dir = `/proc/${w.pid}/fd`;
  let fds: string[];
  try {
    fds = readdirSync(dir);
  } catch {
    return;
  }
  let objects = 0;
  let profiles = 0;
  let floor = 0;
  const nowOpen = new Set<string>();
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`${dir}/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    // Each namespace also keeps its alarms' metadata.sqlite open: not an object.
    if (!target.endsWith(".sqlite") || target.endsWith("/metadata.sqlite")) continue;
    objects++;
    if (target.includes("ProfileObject")) {
      profiles++;
      nowOpen.add(target);
      if (!openProfiles.has(target)) files.starts++;
    }
    if (target.includes("/floor-Thing/")) floor++;
  }
  openProfiles = nowOpen;
  Object.assign(files, { total: fds.length, objects, profiles, floor });
  files.peakTotal = Math.max(files.peakTotal, fds.length);
  files.peakProfiles = Math.max(files.peakProfiles, profiles);
}
const resetPeaks = () => {
  Object.assign(files, { peakTotal: files.total, peakProfiles: files.profiles, pausedMs: 0 });
  Object.assign(index, { pausedMs: 0, peakLag: 0 });
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Seeding waits while the audience index is more than INDEX_LAG people
 * behind the people sent (BENCH_SCALE_INDEX_LAG; 0: never, as before).
 *
 * Local workerd runs the queue's broker on the same event loop as the
 * worker: while seeding keeps it busy, the broker's batch timer hardly
 * fires, the backlog grows, and by the time the consumer confirms a
 * profile's outbox the profile has been evicted, so each confirmation
 * starts it again (and a backlog older than 120 s is resent). Without a
 * bound the seeding rate counts work left for later; with it, seeding
 * goes only as fast as the index keeps up.
 */
const INDEX_LAG = Number(process.env.BENCH_SCALE_INDEX_LAG ?? 1_500);
/** People in answered seeding requests, the index's estimate of them, and seeding's wait for it. */
const index = { sent: 0, indexed: 0, pausedMs: 0, peakLag: 0, watched: false };
/** Estimates how many people the index holds from one audience's size (bucket_0 holds one in 40), once a second. */
function watchIndex(): NodeJS.Timeout {
  index.watched = true;
  let busy = false;
  return setInterval(() => {
    if (busy) return;
    busy = true;
    api("/v2/segment/bucket_0")
      .then(({ data }) => {
        index.indexed = (data as { size: number }).size * 40;
        index.peakLag = Math.max(index.peakLag, index.sent - index.indexed);
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, 1000);
}

/**
 * Sends people [from, to) in batches; retries a failed request (event ids
 * make that safe). Waits while workerd's open files are above FILE_CAP, so
 * idle objects get evicted before more are started, and while the audience
 * index is more than INDEX_LAG people behind.
 */
async function seedPeople(from: number, to: number, stopAt: number): Promise<number> {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to && Date.now() < stopAt) {
        if (files.total > FILE_CAP) {
          const t = Date.now();
          await sleep(250);
          files.pausedMs += Date.now() - t;
          continue;
        }
        if (INDEX_LAG && index.watched && index.sent - index.indexed > INDEX_LAG) {
          const t = Date.now();
          await sleep(250);
          index.pausedMs += Date.now() - t;
          continue;
        }
        const start = next;
        next = Math.min(to, next + BATCH);
        const count = next - start;
        const body = JSON.stringify(
          Array.from({ length: count }, (_, j) => ({ ...person(start + j), _eid: `s${start + j}` })),
        );
        for (let attempt = 1; ; attempt++) {
          const res = await fetch(`${url}/collect/json/default?cid=scale`, {
            method: "POST",
            headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
            body,
          }).catch((e: Error) => e);
          if (res instanceof Response && res.ok) {
            await res.arrayBuffer();
            index.sent += count;
            break;
          }
          if (attempt >= 5)
            throw new Error(
              `seeding failed: ${res instanceof Response ? `${res.status} ${await res.text()}` : res.message} (${files.total} open files, ${files.profiles} live profile objects)`,
            );
          await sleep(500 * attempt);
        }
      }
    }),
  );
  return Math.min(next, to);
}

/** Waits until no profile object is live (all evicted; or `ms` pass); returns the seconds waited. */
async function waitForEviction(ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    lookAtFiles();
    if (files.profiles === 0) break;
    await sleep(1000);
  }
  return (Date.now() - start) / 1000;
}

/** Exact sizes the definitions select among the first `count` people. */
function expectedSizes(count: number): Map<string, number> {
  const expected = new Map<string, number>();
  for (let k = 0; k < AUDIENCES; k++) {
    const a = audience(k);
    let n = 0;
    for (let i = 0; i < count; i++) if (a.test(i)) n++;
    expected.set(a.slug, n);
  }
  return expected;
}

const sizes = async () =>
  new Map(((await api("/v2/segment")).data as { slug_name: string; size: number }[]).map((s) => [s.slug_name, s.size]));

/** Waits until the index holds the exact sizes (or `ms` pass); returns the sizes and the audiences still off. */
async function settleSizes(count: number, ms: number) {
  const expected = expectedSizes(count);
  const start = Date.now();
  for (;;) {
    const got = await sizes();
    const off = [...expected].filter(([slug, n]) => got.get(slug) !== n);
    if (!off.length || Date.now() - start > ms) return { got, off, expected, waited: Date.now() - start };
    await new Promise((r) => setTimeout(r, 1000));
  }
}

interface Latency {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
  /** workerd process CPU (all threads) per request, ms. */
  cpuMs: number;
}

/** /personalize for `uids`: `amount` requests (each uid once), or for `duration` s cycling over them; 8 connections. */
async function personalize(uids: string[], run: { amount: number } | { duration: number }): Promise<Latency> {
  let i = 0;
  const cpu0 = w.cpuMs();
  const r = await autocannon({
    url,
    connections: 8,
    ...run,
    requests: [
      {
        method: "GET",
        setupRequest: (req) => ({ ...req, path: `/personalize?cid=scale&uid=${uids[i++ % uids.length]}` }),
      },
    ],
  });
  const requests = r.requests.total;
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    requests,
    errors: r.errors + r.non2xx,
    cpuMs: (w.cpuMs() - cpu0) / Math.max(1, requests),
  };
}

/** FLOOR objects started in the floor step (BENCH_SCALE_FLOOR; 0 skips it). */
const FLOOR = Number(process.env.BENCH_SCALE_FLOOR ?? 2_000);

/**
 * The floor: FLOOR new Durable Objects, each creating one table and writing
 * one row and nothing else, started in requests of BATCH, 8 at a time per
 * request, CONCURRENCY requests at a time (the shape of seeding) on the same
 * workerd. Returns objects/s and workerd CPU (all threads) per object.
 */
async function floorRun(): Promise<{ rate: number; cpuMs: number }> {
  const base = w.urls.floor!;
  let next = 0;
  const t0 = Date.now();
  const cpu0 = workerdCpuSeconds();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < FLOOR) {
        const from = next;
        next = Math.min(FLOOR, next + BATCH);
        const res = await fetch(`${base}/?from=${from}&n=${next - from}`, { method: "POST" });
        if (!res.ok) throw new Error(`floor request failed: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  const secs = (Date.now() - t0) / 1000;
  return { rate: FLOOR / secs, cpuMs: ((workerdCpuSeconds() - cpu0) * 1000) / FLOOR };
}

/** Up to `n` distinct people among the first `count`, spread over the whole range. */
const sample = (count: number, n: number) =>
  Array.from({ length: Math.min(n, count) }, (_, j) => `p${Math.floor(((j + 0.5) * count) / Math.min(n, count))}`);

try {
  await seed(url, { cid: "scale", domains: ["localhost"], rate_limit_per_second: 100_000 });
  for (let k = 0; k < AUDIENCES; k++) {
    const a = audience(k);
    await api("/v2/segment", "POST", { slug_name: a.slug, segment_ql: a.ql, is_public: true });
  }
  if (CPU_PROFILE && inspectorPort) {
    const t0 = Date.now();
    const cpu0 = workerdCpuSeconds();
    const { total, rows, inclusive } = await profileWhile(inspectorPort, "app", async () => {
      await seedPeople(0, CPU_PROFILE, Infinity);
      await settleSizes(CPU_PROFILE, 60_000);
    });
    const secs = (Date.now() - t0) / 1000;
    const cpu = workerdCpuSeconds() - cpu0;
    console.log(
      `scale — worker at ${source.commit}: CPU profile of seeding ${CPU_PROFILE} profiles (${BATCH} a request) and the queue settling: ${secs.toFixed(1)} s, ${(CPU_PROFILE / secs).toFixed(0)} profiles/s; workerd process CPU (all threads, user + system) ${((cpu * 1000) / CPU_PROFILE).toFixed(1)} ms per profile; ${(total / CPU_PROFILE).toFixed(1)} ms sampled on the worker's thread per profile; self time:`,
    );
    for (const r of rows.slice(0, 30)) console.log(`  ${((r.ms / total) * 100).toFixed(1).padStart(5)}%  ${r.fn}`);
    console.log("scale — inclusive time:");
    for (const r of inclusive.filter((r) => !r.fn.startsWith("(")).slice(0, 40))
      console.log(`  ${((r.ms / total) * 100).toFixed(1).padStart(5)}%  ${r.fn}`);
    await w.stop();
    process.exit(0);
  }
  console.log(
    `scale: ${TARGET.toLocaleString("en")} profiles${TARGET < FULL ? ` (scaled down from ${FULL.toLocaleString("en")} by BENCH_PROFILES)` : ""}, ${AUDIENCES} audiences; seeded through POST /collect/json (${BATCH} people a request, ${CONCURRENCY} requests at a time) on workerd directly (Miniflare), state on disk; seeding budget ${BUDGET_S} s; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the start (other agents share this machine: the workerd CPU column is the figure that does not depend on them)`,
  );
  if (LIMIT)
    console.log(
      `scale: open-files limit ${LIMIT.toLocaleString("en")} (ulimit -n). Local workerd holds 3 files per live object (database, -wal, -shm) and closes them when the object is evicted, ~10 s after its last request ends; a collect request keeps every profile it called live until it ends. Seeding pauses while workerd has more than ${FILE_CAP.toLocaleString("en")} files open, so evictions keep the live set under the limit (raise it, e.g. \`ulimit -n 1000000\` as root, and seeding never waits)`,
    );
  console.log(
    INDEX_LAG
      ? `scale: seeding waits while the audience index is more than ${INDEX_LAG.toLocaleString("en")} people behind the people sent (estimated once a second from bucket_0's size × 40). Local workerd runs the queue's broker on the worker's event loop, so under full load its batch timer hardly fires; unbounded, the backlog grows and each late confirmation starts an evicted profile again. BENCH_SCALE_INDEX_LAG=0 seeds without the bound`
      : "scale: seeding does not wait for the audience index (BENCH_SCALE_INDEX_LAG=0): the seeding rate leaves the queue's backlog for the quiet wait",
  );
  const watcher = setInterval(lookAtFiles, 500);
  watcher.unref();
  const indexWatcher = watchIndex();
  // What any design with one new object per person pays, measured first, then let go (its objects evicted).
  const floor = FLOOR ? await floorRun() : null;
  if (floor) {
    const start = Date.now();
    for (lookAtFiles(); Date.now() - start < 60_000 && files.floor > 0; lookAtFiles()) await sleep(1000);
    console.log(
      `scale: floor — ${FLOOR.toLocaleString("en")} new Durable Objects with one table and one row each and nothing of Pathlight, started in bulk the way seeding starts profiles (${BATCH} a request, 8 at a time in a request, ${CONCURRENCY} requests at a time), same workerd: ${floor.rate.toFixed(0)} objects/s, ${floor.cpuMs.toFixed(2)} ms workerd CPU per object (then ${((Date.now() - start) / 1000).toFixed(0)} s until they were evicted${files.floor ? `; ${files.floor} files of them still open` : ""})`,
    );
  }
  const stopAt = Date.now() + BUDGET_S * 1000;
  let seeded = 0;
  const seedStart = Date.now();
  const runEnd = seedStart + 570_000;
  const seedingRows: string[] = [];
  const personalizeRows: string[] = [];
  const ms = (l: Latency) =>
    l.requests
      ? `${l.p50.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.cpuMs.toFixed(2)}${l.errors ? ` (${l.errors} errors)` : ""}`
      : "— | — | —";
  for (const checkpoint of CHECKPOINTS) {
    const t0 = Date.now();
    const cpu0 = workerdCpuSeconds();
    resetPeaks();
    const starts0 = files.starts;
    const reached = await seedPeople(seeded, checkpoint, stopAt);
    const secs = (Date.now() - t0) / 1000;
    const rate = (reached - seeded) / secs;
    const cpuMs = ((workerdCpuSeconds() - cpu0) * 1000) / Math.max(1, reached - seeded);
    const step = { ...files };
    const stepIndex = { ...index };
    const stepPeople = reached - seeded;
    seeded = reached;
    // Quiet first: the queue feeding the audience index catches up and every profile object is evicted.
    const settled = await settleSizes(seeded, 60_000);
    // Seeding and the work it left for the queue's consumer: the index holds every person of the step.
    const endToEnd = stepPeople / ((Date.now() - t0) / 1000);
    const cpuAllMs = ((workerdCpuSeconds() - cpu0) * 1000) / Math.max(1, stepPeople);
    const evicted = await waitForEviction(60_000);
    // Every start of a profile object in the step, seeding and the queue's catch-up (its confirmations) included.
    const startsPer = (files.starts - starts0) / Math.max(1, stepPeople);
    // Pathlight's objects only: the floor's objects stay on disk in their own folder.
    const total = bytesUnder(w.stateDir) - bytesOf(w.stateDir, "floor-Thing");
    const profiles = bytesOf(w.stateDir, "ProfileObject");
    const databases = bytesOf(w.stateDir, "ProfileObject", true);
    seedingRows.push(
      `| ${seeded.toLocaleString("en")} | ${rate.toFixed(0)} | ${cpuMs.toFixed(1)} | ${floor ? `${(cpuMs / floor.cpuMs).toFixed(1)}×` : "—"} | ${step.peakProfiles.toLocaleString("en")} | ${step.peakTotal.toLocaleString("en")} | ${(step.pausedMs / 1000 / CONCURRENCY).toFixed(0)} of ${secs.toFixed(0)} | ${INDEX_LAG ? `${(stepIndex.pausedMs / 1000 / CONCURRENCY).toFixed(0)} of ${secs.toFixed(0)} (peak ${stepIndex.peakLag.toLocaleString("en")} behind)` : "—"} | ${(settled.waited / 1000).toFixed(0)} + ${evicted.toFixed(0)} | ${endToEnd.toFixed(0)} | ${cpuAllMs.toFixed(1)}${settled.off.length ? ` (index not caught up: ${settled.off.length} audiences off)` : ""} | ${(total / seeded).toFixed(0)} | ${(profiles / seeded).toFixed(0)} | ${(databases / seeded).toFixed(0)} | ${startsPer.toFixed(2)} |`,
    );
    // Long idle: each request starts an evicted object (and its identity shard, if evicted too).
    const people = sample(seeded, 400);
    const liveBefore = files.profiles;
    const cold = await personalize(people, { amount: people.length });
    // Recently active: 100 of them again, their objects now live (few enough that each is asked again well
    // within the ~10 s after which an idle object is evicted, even on a slow machine).
    const warm = await personalize(people.slice(0, 100), { duration: 5 });
    lookAtFiles();
    personalizeRows.push(
      `| ${seeded.toLocaleString("en")} | ${liveBefore} | ${ms(cold)} | ${ms(warm)} | ${warm.rps.toFixed(0)} | ${files.profiles.toLocaleString("en")} |`,
    );
    console.log(
      `scale: ${seeded.toLocaleString("en")} profiles seeded (${rate.toFixed(0)}/s this step, ${cpuMs.toFixed(1)} ms workerd CPU and ${startsPer.toFixed(2)} profile object starts each); /personalize cold p50 ${cold.p50} ms, warm p50 ${warm.p50} ms`,
    );
    if (seeded < checkpoint) {
      console.log(
        `scale: the seeding budget ran out at ${seeded.toLocaleString("en")} profiles (of ${TARGET.toLocaleString("en")})`,
      );
      break;
    }
  }
  console.log(
    `scale: seeding ${seeded.toLocaleString("en")} profiles took ${((Date.now() - seedStart) / 1000).toFixed(0)} s overall (the quiet waits and /personalize runs included). Seeding, per step (people seeded since the previous checkpoint):`,
  );
  console.log(
    `| profiles | seeding profiles/s (this step) | workerd CPU ms / profile (this step, all threads) | × the floor's CPU per new object | peak live profile objects | peak open files (workerd) | seconds paused for evictions, of the step | seconds paused while the index was > ${INDEX_LAG.toLocaleString("en")} people behind, of the step | quiet wait s (index catches up + objects evicted) | profiles/s seeded and indexed (the step until the index caught up) | workerd CPU ms / profile, the index's catch-up included | storage bytes / profile (all objects) | profile objects' bytes / profile | profile objects' database bytes / profile (.sqlite only) | profile object starts / new profile (seeding and catch-up; 1: each started once) |`,
  );
  console.log("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const row of seedingRows) console.log(row);
  console.log(
    "scale: /personalize at each checkpoint, measured after seeding stopped, the audience index caught up and every profile object was evicted; 400 people spread over all seeded, 8 connections. Cold: each of them once, long idle (its object evicted, started by the request). Warm: 100 of the same people again for 5 s, recently active (live objects). workerd CPU is the whole process's, per request:",
  );
  console.log(
    "| profiles | live profile objects before | cold p50 ms | cold p99 ms | cold workerd CPU ms / req | warm p50 ms | warm p99 ms | warm workerd CPU ms / req | warm req/s | live profile objects after (400 started) |",
  );
  console.log("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const row of personalizeRows) console.log(row);

  // Exact audience sizes: the index, fed by the queue, against what the definitions select.
  const { got, off, expected, waited } = await settleSizes(seeded, 120_000);
  console.log(
    `scale: audience index sizes: ${AUDIENCES - off.length}/${AUDIENCES} exact (settled ${(waited / 1000).toFixed(0)} s after the last check); e.g. bucket_0 ${got.get("bucket_0")} (expected ${expected.get("bucket_0")}), pro_over_0 ${got.get("pro_over_0")} (expected ${expected.get("pro_over_0")}), pro_over_9 ${got.get("pro_over_9")} (expected ${expected.get("pro_over_9")})${off.length ? `; off: ${off.map(([s, n]) => `${s} ${got.get(s)} ≠ ${n}`).join(", ")}` : ""}`,
  );

  // Re-evaluate everyone (a job walking the identity shards, 100 profiles a step).
  const seg = (await api("/v2/segment/bucket_0")).data as { id: string };
  resetPeaks();
  const r0 = Date.now();
  const job = (await api(`/v2/segment/${seg.id}/reevaluate`, "POST")).data as { id: string };
  let state = "queued";
  let done = 0;
  while (state !== "completed" && state !== "failed" && Date.now() < Math.max(runEnd, r0 + 30_000)) {
    await new Promise((r) => setTimeout(r, 1000));
    const jobs = (await api(`/v2/segment/${seg.id}/jobs`)).data as {
      id: string;
      state: string;
      progress?: { done: number };
    }[];
    const j = jobs.find((x) => x.id === job.id);
    state = j?.state ?? state;
    done = j?.progress?.done ?? done;
  }
  const secs = (Date.now() - r0) / 1000;
  console.log(
    `scale: reevaluate-all ${state} in ${secs.toFixed(0)} s: ${done.toLocaleString("en")} profiles (${(done / secs).toFixed(0)} profiles/s; a job wakes at most ${JOB_PARALLEL} at once and ${JOB_RATE} a second); peak ${files.peakProfiles.toLocaleString("en")} live profile objects, ${files.peakTotal.toLocaleString("en")} open files`,
  );
  clearInterval(watcher);
  clearInterval(indexWatcher);
} finally {
  await w.stop();
}
