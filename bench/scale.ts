// Scale (issue 15): seed 100,000 profiles into an account with 50 audiences
// through the public API in bulk (/collect/json, 50 people a request, 16
// requests at a time), on
// workerd directly with its state on disk, and print: seeding events/s,
// storage bytes per profile, /personalize p50/p99 at 1k, 10k and 100k
// profiles (it must not grow with the count), the audience index sizes
// against the exact expected sizes, and the time to re-evaluate everyone.
//
// BENCH_PROFILES scales the count down (the output says so); a time budget
// (BENCH_SCALE_BUDGET_S, default 420 s of seeding, so the whole run fits in
// about 10 minutes) stops seeding early on a
// slow or busy machine and says where it stopped.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
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
  [{ name: "app", config: source.config, vars: { ADMIN_TOKEN, PATHLIGHT_ENV: "development" } }],
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

/** Sends people [from, to) in batches; retries a failed request (event ids make that safe). */
async function seedPeople(from: number, to: number, stopAt: number): Promise<number> {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to && Date.now() < stopAt) {
        const start = next;
        next = Math.min(to, next + BATCH);
        const body = JSON.stringify(
          Array.from({ length: next - start }, (_, j) => ({ ...person(start + j), _eid: `s${start + j}` })),
        );
        for (let attempt = 1; ; attempt++) {
          const res = await fetch(`${url}/collect/json/default?cid=scale`, {
            method: "POST",
            headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
            body,
          }).catch((e: Error) => e);
          if (res instanceof Response && res.ok) {
            await res.arrayBuffer();
            break;
          }
          if (attempt >= 5) throw new Error(`seeding failed: ${res instanceof Response ? res.status : res.message}`);
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
    }),
  );
  return Math.min(next, to);
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

async function personalize(count: number): Promise<{ p50: number; p99: number; rps: number; errors: number }> {
  let i = 0;
  const r = await autocannon({
    url,
    connections: 8,
    duration: 5,
    requests: [
      {
        method: "GET",
        setupRequest: (req) => ({
          ...req,
          path: `/personalize?cid=scale&uid=p${(i++ * 7919) % count}`,
        }),
      },
    ],
  });
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.non2xx };
}

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
  // Local workerd keeps each live object's SQLite files open (database, -wal, -shm): past about a third of the
  // open-files limit in live profile objects, opening one more fails with SQLITE_CANTOPEN (a local limit only).
  const openFiles = /Max open files\s+(\d+)/.exec(readFileSync("/proc/self/limits", "utf8"))?.[1];
  if (openFiles)
    console.log(
      `scale: open-files limit ${Number(openFiles).toLocaleString("en")} (ulimit -n): local workerd holds 3 files per live object, so raise it (e.g. \`ulimit -n 1000000\` as root) to go past ~${Math.floor(Number(openFiles) / 3).toLocaleString("en")} live profiles`,
    );
  console.log(
    "| profiles | seeding events/s (this step) | workerd CPU ms / profile (this step, all threads) | storage bytes / profile (all objects, with open objects' -wal/-shm) | profile objects' bytes / profile (same) | profile objects' database bytes / profile (.sqlite only) | /personalize p50 ms | p99 ms | req/s |",
  );
  console.log("|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  const stopAt = Date.now() + BUDGET_S * 1000;
  let seeded = 0;
  const seedStart = Date.now();
  const runEnd = seedStart + 570_000;
  for (const checkpoint of CHECKPOINTS) {
    const t0 = Date.now();
    const cpu0 = workerdCpuSeconds();
    const reached = await seedPeople(seeded, checkpoint, stopAt);
    const rate = (reached - seeded) / ((Date.now() - t0) / 1000);
    const cpuMs = ((workerdCpuSeconds() - cpu0) * 1000) / Math.max(1, reached - seeded);
    seeded = reached;
    // The queue feeding the audience index catches up first: /personalize is measured on a quiet worker.
    await settleSizes(seeded, 60_000);
    const total = bytesUnder(w.stateDir);
    const profiles = bytesOf(w.stateDir, "ProfileObject");
    const databases = bytesOf(w.stateDir, "ProfileObject", true);
    const p = await personalize(seeded);
    console.log(
      `| ${seeded.toLocaleString("en")} | ${rate.toFixed(0)} | ${cpuMs.toFixed(1)} | ${(total / seeded).toFixed(0)} | ${(profiles / seeded).toFixed(0)} | ${(databases / seeded).toFixed(0)} | ${p.rps > 0 ? `${p.p50.toFixed(1)} | ${p.p99.toFixed(1)} | ${p.rps.toFixed(0)}${p.errors ? ` (${p.errors} errors)` : ""}` : "— | — | none answered within the 5 s window (worker still busy)"} |`,
    );
    if (seeded < checkpoint) {
      console.log(
        `scale: the seeding budget ran out at ${seeded.toLocaleString("en")} profiles (of ${TARGET.toLocaleString("en")})`,
      );
      break;
    }
  }
  console.log(
    `scale: seeding ${seeded.toLocaleString("en")} profiles took ${((Date.now() - seedStart) / 1000).toFixed(0)} s overall (personalize runs included)`,
  );

  // Exact audience sizes: the index, fed by the queue, against what the definitions select.
  const { got, off, expected, waited } = await settleSizes(seeded, 120_000);
  console.log(
    `scale: audience index sizes: ${AUDIENCES - off.length}/${AUDIENCES} exact (settled ${(waited / 1000).toFixed(0)} s after the last check); e.g. bucket_0 ${got.get("bucket_0")} (expected ${expected.get("bucket_0")}), pro_over_0 ${got.get("pro_over_0")} (expected ${expected.get("pro_over_0")}), pro_over_9 ${got.get("pro_over_9")} (expected ${expected.get("pro_over_9")})${off.length ? `; off: ${off.map(([s, n]) => `${s} ${got.get(s)} ≠ ${n}`).join(", ")}` : ""}`,
  );

  // Re-evaluate everyone (a job walking the identity shards, 100 profiles a step).
  const seg = (await api("/v2/segment/bucket_0")).data as { id: string };
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
    `scale: reevaluate-all ${state} in ${secs.toFixed(0)} s: ${done.toLocaleString("en")} profiles (${(done / secs).toFixed(0)} profiles/s)`,
  );
} finally {
  await w.stop();
}
