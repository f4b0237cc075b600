// Webhook latency when all is well (issue 15): audience changes paced at
// 100 a second, delivered to a receiver that always answers 200. Prints
// p50/p90/p99/max from the change in the profile to the receiver's 200, to
// read beside the failing-receiver figures of bench/webhooks.ts (same
// `wrangler dev`, same subscription, same clock: both run on this machine).
//
// Two kinds of change, each printed on its own rows:
// - `known people` (what most real changes are): the people exist before
//   the timed run (seeded untimed, 50 a request; every other one seeded as a
//   member, so its seeding enter is delivered and drained before timing
//   starts). Each timed event moves one known person into or out of the
//   audience, enter and exit alternating, each person twice.
// - `new people`: the first half of the changes are people's first collects
//   (the profile is created by the event that makes it enter), the second
//   half their exits. Creating a person costs the edge more than the change
//   itself (seeding new people is measured by bench/scale.ts).
//
// Each runs twice: through `wrangler dev` (its dev proxy costs about 1 ms a
// request, bench/edge.ts) and on workerd directly (Miniflare, the bundle
// `wrangler deploy` builds: no proxy, as in production). The receiver is a
// local Node server on 127.0.0.1 either way.
//
// The same run first measures a baseline commit (BENCH_HOOK_BEFORE, default
// the commit before profiles handed changes to delivery objects directly;
// `none` skips it), so the two are compared on one machine at one load. The
// workerd CPU per change (every hop: collect, profile, queue, consumer,
// delivery object, send) is read from /proc and does not depend on other
// load on the machine the way latencies do. Before timing, workerd's CPU is
// read over a few idle seconds: what it burns per second with no change
// (timers, the local queue broker, wrangler's own workers); that times the
// timed run's length is printed beside the per-change figure, and taken out
// of it in a column of its own.
//
// Environment: BENCH_HOOK_RATE (changes/s, default 100), BENCH_HOOK_CHANGES
// (default 1000), BENCH_HOOK_BEFORE (baseline commit or `none`),
// BENCH_HOOK_VARIANTS (`known,new` by default), BENCH_HOOK_RUNTIMES
// (`wrangler,direct` by default), BENCH_HOOK_ROUNDS (default 1: the
// baseline and the current worker alternate this many times, the order
// flipped every other round, so a change in the machine's other load does
// not always fall on the same one; ratios pool every round), BENCH_HOOK_IDLE_S (idle seconds measured,
// default 4), BENCH_HOOK_PROFILE=1 (a CPU profile of the current worker's
// known-people run, on each runtime: top functions by self and inclusive
// time).
import { cpSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { percentile } from "./harness";
import { profileWhile } from "./lib/cpu-profile";
import { workerdCpuSeconds } from "./lib/proc-cpu";
import {
  type BenchRuntime,
  headersOf,
  quiet,
  readBody,
  resendReasons,
  seedPeople,
  startReceiver,
  startWebhookBench,
} from "./lib/webhook-setup";

const RATE = Number(process.env.BENCH_HOOK_RATE ?? 100); // changes per second
const CHANGES = Number(process.env.BENCH_HOOK_CHANGES ?? 1000);
const USERS = CHANGES / 2; // each changes twice
const BEFORE = process.env.BENCH_HOOK_BEFORE ?? "3b92dd6";
const VARIANTS = (process.env.BENCH_HOOK_VARIANTS ?? "known,new").split(",") as Variant[];
const PROFILE = process.env.BENCH_HOOK_PROFILE === "1";
const RUNTIMES = (process.env.BENCH_HOOK_RUNTIMES ?? "wrangler,direct").split(",") as BenchRuntime[];
const IDLE_S = Number(process.env.BENCH_HOOK_IDLE_S ?? 4);
const ROUNDS = Number(process.env.BENCH_HOOK_ROUNDS ?? 1);
const LOAD = loadavg()[0]!;

/** Whose audience changes: people seeded before the timed run, or people created by the change. */
type Variant = "known" | "new";
const VARIANT_LABEL: Record<Variant, string> = {
  known: "known people (seeded first, untimed)",
  new: "new people (first collect enters)",
};
const RUNTIME_LABEL: Record<BenchRuntime, string> = {
  wrangler: "`wrangler dev`",
  direct: "workerd directly",
};

/**
 * The timed event of change `i`. Known people: person i % USERS flips its
 * membership (seeded: every even person a member), so enter and exit
 * alternate. New people: person i % USERS enters with its first collect
 * (first half), then leaves (second half).
 */
function changeEvent(variant: Variant, i: number): Record<string, unknown> {
  const person = i % USERS;
  const round = Math.floor(i / USERS);
  const uid = `${variant}-${person}`;
  const seededMember = person % 2 === 0;
  const active = variant === "known" ? seededMember === (round % 2 === 1) : i < USERS;
  return { _uid: uid, _eid: `${uid}-${i}`, active };
}

/** Copies the worker bundle built in `dir` to `to` (to read a profile's line numbers). */
function copyBundle(runtime: BenchRuntime, dir: string, to: string): void {
  if (runtime === "direct") {
    cpSync(dir, to, { recursive: true });
    return;
  }
  const tmp = join(dir, ".wrangler", "tmp");
  for (const d of readdirSync(tmp)) if (d.startsWith("dev-")) cpSync(join(tmp, d), to, { recursive: true });
}

/** What one run measured. */
interface Figures {
  label: string;
  /** The baseline or the current worker. */
  worker: "before" | "now";
  variant: Variant;
  runtime: BenchRuntime;
  ingested: number;
  delivered: number;
  duplicates: number;
  badSignatures: number;
  /** change → receiver, ms */
  latency: number[];
  /** change → request formed in the delivery object, ms */
  toObject: number[];
  /** request formed → receiver, ms */
  toReceiver: number[];
  cpuMsPerChange: number;
  /** workerd CPU (ms) per second with no change, measured before timing. */
  idleCpuMsPerS: number;
  /** Length of the timed part (s): pacing, delivery of the last change, and the queue path's settling. */
  timedS: number;
  /** TCP connections the receiver accepted during the timed part. */
  connections: number;
  resends: string;
  /** CPU profile of the timed part (BENCH_HOOK_PROFILE=1). */
  profile?: string;
}

/** The run in progress: the receiver records into it. */
let run: {
  verifier: Webhook;
  latency: Map<string, number>;
  /** `profile|seq` → when the change happened in the profile and when the receiver first had it. */
  times: Map<string, { changed: number; received: number }>;
  duplicates: number;
  badSignatures: number;
} | null = null;

const receiver = await startReceiver(async (req, res) => {
  const body = await readBody(req);
  const now = Date.now();
  const r = run;
  if (r)
    try {
      const m = r.verifier.verify(body, headersOf(req)) as {
        data: { segment_events: { slug: string; event: string; enter: string | null; exit: string | null }[] };
        meta: { profile_id: string; seq: number };
      };
      for (const e of m.data.segment_events) {
        const key = `${m.meta.profile_id}|${m.meta.seq}|${e.slug}|${e.event}`;
        if (r.latency.has(key)) r.duplicates++;
        else {
          const changed = Date.parse((e.event === "enter" ? e.enter : e.exit) ?? "");
          r.latency.set(key, now - changed);
          r.times.set(`${m.meta.profile_id}|${m.meta.seq}`, { changed, received: now });
        }
      }
    } catch {
      r.badSignatures++;
    }
  res.writeHead(200).end("ok");
});

async function measure(
  worker: Figures["worker"],
  label: string,
  variant: Variant,
  runtime: BenchRuntime,
  commit?: string,
  profile = false,
): Promise<Figures> {
  const bench = await startWebhookBench(
    receiver.hook,
    "healthy",
    {},
    { ...(commit ? { commit } : {}), runtime, inspector: profile },
  );
  const { url, api } = bench;
  if (variant === "known") {
    // Untimed: the people exist, every even one a member; their enters are delivered before timing starts.
    const people = Array.from({ length: USERS }, (_, p) => `known-${p}`);
    await seedPeople(url, people, (uid) => ({ active: Number(uid.slice(6)) % 2 === 0 }));
    await quiet(api, bench.subscription.id, Math.ceil(USERS / 2), 120_000);
  }
  const r = {
    verifier: new Webhook(bench.subscription.secret),
    latency: new Map<string, number>(),
    times: new Map<string, { changed: number; received: number }>(),
    duplicates: 0,
    badSignatures: 0,
  };
  run = r;
  try {
    // Warm-up: code compiled, the subscription routes known to the queue consumer.
    const warmedBefore = (await api(`/api/subscription/${bench.subscription.id}/deliveries?limit=1`)).data.counts
      .delivered as number;
    await fetch(`${url}/c/bench`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ _uid: "warm", active: true }),
    });
    const warmUntil = Date.now() + 10_000;
    while (r.latency.size < 1 && Date.now() < warmUntil) await new Promise((done) => setTimeout(done, 50));
    await new Promise((done) => setTimeout(done, 2_000)); // the warm-up's queue path settles too
    await quiet(api, bench.subscription.id, warmedBefore + 1, 30_000);
    r.latency.clear();
    r.times.clear();
    r.duplicates = 0;

    // Idle: what workerd burns per second with nothing to do (a fixed cost spread over the changes of a run).
    const idle0 = workerdCpuSeconds();
    const idleStarted = performance.now();
    await new Promise((done) => setTimeout(done, IDLE_S * 1000));
    const idleCpuMsPerS = ((workerdCpuSeconds() - idle0) * 1e6) / (performance.now() - idleStarted);

    // Change i, one every 1000/RATE ms (see changeEvent).
    const cpu0 = workerdCpuSeconds();
    const timedStarted = performance.now();
    const connections0 = receiver.connections();
    let answered = 0;
    const timed = async () => {
      const started = performance.now();
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < CHANGES; i++) {
        const at = started + (i * 1000) / RATE;
        const wait = at - performance.now();
        if (wait > 0) await new Promise((done) => setTimeout(done, wait));
        sends.push(
          fetch(`${url}/c/bench`, {
            method: "POST",
            headers: { "content-type": "text/plain" },
            body: JSON.stringify(changeEvent(variant, i)),
          }).then((res) => res.arrayBuffer()),
        );
      }
      await Promise.all(sends);
      answered = (performance.now() - started) / 1000;
      const deadline = Date.now() + 60_000;
      while (r.latency.size < CHANGES && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
      // The queue path (audience index, confirmations to profiles) finishes its last batch: its CPU counts too.
      await new Promise((done) => setTimeout(done, 3_000));
    };
    let profileText: string | undefined;
    if (profile) {
      const p = await profileWhile(bench.inspectorPort, bench.inspectorName, timed);
      const top = (rows: { fn: string; ms: number }[]) =>
        rows
          .slice(0, 25)
          .map((x) => `  ${((x.ms / p.total) * 100).toFixed(1).padStart(5)}%  ${x.fn}`)
          .join("\n");
      // Each hop of a change, by the function that runs it (inclusive: what it calls counts; hops nest in
      // places, e.g. the direct hand-off runs inside the profile's settle, so the shares do not add up).
      const hop = (name: string) => {
        const ms = Math.max(0, ...p.inclusive.filter((x) => x.fn.split(" ")[0] === name).map((x) => x.ms));
        return `${((ms / p.total) * 100).toFixed(1)}% (${(ms / CHANGES).toFixed(2)} ms / change)`;
      };
      const hops = [
        ["the profile's ingest (collect → profile object)", "ingest"],
        ["  of it the outbox's send to the queue", "flushOutbox"],
        ["direct hand-off to the delivery object (sink, RPC)", "handOver"],
        ["delivery object takes a change (accept)", "accept"],
        ["delivery object sends (render, sign, POST, log)", "attemptRequest"],
        ["queue consumer (index, sink, confirmations)", "consumeAudienceChanges"],
        ["  of it confirmations to profiles (RPC)", "confirmToProfiles"],
        ["profile takes a confirmation", "confirm"],
      ]
        .map(([label, name]) => `  ${label}: ${hop(name!)}`)
        .join("\n");
      profileText = `CPU profile of the worker isolate, ${p.total.toFixed(0)} ms sampled (${(p.total / CHANGES).toFixed(2)} ms / change)\nhops (inclusive):\n${hops}\nself:\n${top(p.rows)}\ninclusive:\n${top(p.inclusive)}\nruntime calls by caller:\n${top(p.nativeByCaller)}`;
      if (process.env.BENCH_HOOK_BUNDLE) copyBundle(runtime, bench.dir, `${process.env.BENCH_HOOK_BUNDLE}-${runtime}`);
    } else await timed();
    const cpuMsPerChange = ((workerdCpuSeconds() - cpu0) * 1000) / CHANGES;
    const timedS = (performance.now() - timedStarted) / 1000;
    const connections = receiver.connections() - connections0;
    const resends = await resendReasons(api, bench.subscription.id);
    // Where the time went, for the newest 500 requests: change → the delivery object formed the request, then
    // request formed → the receiver had it (send queue, signing, HTTP).
    const log = (await api(`/api/subscription/${bench.subscription.id}/deliveries?limit=500`)).data.deliveries as {
      created: string;
      messages: { profile_id: string; seq: number }[];
    }[];
    const toObject: number[] = [];
    const toReceiver: number[] = [];
    for (const d of log) {
      const t = r.times.get(`${d.messages[0]?.profile_id}|${d.messages[0]?.seq}`);
      if (!t) continue;
      toObject.push(Date.parse(d.created) - t.changed);
      toReceiver.push(t.received - Date.parse(d.created));
    }
    return {
      worker,
      label,
      variant,
      runtime,
      idleCpuMsPerS,
      timedS,
      ...(profileText ? { profile: profileText } : {}),
      ingested: CHANGES / answered,
      delivered: r.latency.size,
      duplicates: r.duplicates,
      badSignatures: r.badSignatures,
      latency: [...r.latency.values()],
      toObject,
      toReceiver,
      cpuMsPerChange,
      connections,
      resends,
    };
  } finally {
    run = null;
    await bench.stop();
  }
}

const ms = (xs: number[], p: number) => (xs.length ? `${percentile(xs, p).toFixed(0)}` : "–");
/** The figures of `runtime`, variant by variant: the baseline first, then the current worker. */
const ofRuntime = (runs: Figures[], runtime: BenchRuntime) => runs.filter((f) => f.runtime === runtime);
try {
  const runs: Figures[] = [];
  for (const runtime of RUNTIMES)
    for (const variant of VARIANTS)
      for (let round = 1; round <= ROUNDS; round++) {
        const tag = ROUNDS > 1 ? `, round ${round}` : "";
        const before = () => measure("before", `before (${BEFORE})${tag}`, variant, runtime, BEFORE);
        const now = () =>
          measure("now", `now${tag}`, variant, runtime, undefined, PROFILE && variant === "known" && round === 1);
        if (BEFORE === "none") runs.push(await now());
        else if (round % 2 === 1) runs.push(await before(), await now());
        else runs.push(await now(), await before());
      }
  console.log(
    `webhooks (healthy): ${CHANGES} audience changes paced at ${RATE}/s to a receiver that always answers 200 (a Node server on 127.0.0.1); one subscription (Lytics format, unbatched, signed); load average ${LOAD.toFixed(1)} at the start; ${BEFORE !== "none" ? `the baseline and the current worker one after the other in this run${ROUNDS > 1 ? `, ${ROUNDS} rounds (the order flipped every other round)` : ""}` : "current worker only"}; on ${RUNTIMES.map((r) => RUNTIME_LABEL[r]).join(" and on ")} (each run its own fresh workerd)`,
  );
  console.log(
    `webhooks (healthy): changes of ${VARIANTS.map((v) => `"${VARIANT_LABEL[v]}"`).join(" and ")}: known people exist before timing starts and each event moves one of them into or out of the audience (enter and exit alternate); new people are created by the event that makes them enter (first half), then leave (second half)`,
  );
  console.log(
    `webhooks (healthy): workerd CPU is read from /proc for the whole timed part (pacing, the last delivery, then 3 s for the queue path to settle); "idle" is workerd's CPU per second over ${IDLE_S} s with no change just before timing, and the last CPU column takes idle × the timed part's length out of the per-change figure`,
  );
  for (const runtime of RUNTIMES) {
    console.log(`webhooks (healthy) — on ${RUNTIME_LABEL[runtime]}`);
    console.log(
      "| changes of | worker | ingested changes/s | delivered | duplicates | bad signatures | change → receiver p50 ms | p90 | p99 | max | change → request formed p50 | p99 | request formed → receiver p50 | p99 | workerd CPU ms / change (all hops) | idle workerd CPU ms / s | timed part s | CPU ms / change less idle | receiver connections |",
    );
    console.log("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (const f of ofRuntime(runs, runtime))
      console.log(
        `| ${VARIANT_LABEL[f.variant]} | ${f.label} | ${f.ingested.toFixed(0)} | ${f.delivered}/${CHANGES} | ${f.duplicates} | ${f.badSignatures} | ${ms(f.latency, 50)} | ${ms(f.latency, 90)} | ${ms(f.latency, 99)} | ${f.latency.length ? Math.max(...f.latency).toFixed(0) : "–"} | ${ms(f.toObject, 50)} | ${ms(f.toObject, 99)} | ${ms(f.toReceiver, 50)} | ${ms(f.toReceiver, 99)} | ${f.cpuMsPerChange.toFixed(2)} | ${f.idleCpuMsPerS.toFixed(1)} | ${f.timedS.toFixed(1)} | ${(f.cpuMsPerChange - (f.idleCpuMsPerS * f.timedS) / CHANGES).toFixed(2)} | ${f.connections} |`,
      );
    for (const variant of VARIANTS) {
      const of = ofRuntime(runs, runtime).filter((f) => f.variant === variant);
      const nows = of.filter((f) => f.worker === "now");
      const befores = of.filter((f) => f.worker === "before");
      const where = `${RUNTIME_LABEL[runtime]}, ${VARIANT_LABEL[variant]}`;
      if (befores.length) {
        // Every round pooled: latencies together, CPU per change averaged.
        const pooled = (fs: Figures[]) => fs.flatMap((f) => f.latency);
        const cpu = (fs: Figures[]) => fs.reduce((sum, f) => sum + f.cpuMsPerChange, 0) / fs.length;
        const ratio = (p: number) => (percentile(pooled(nows), p) / percentile(pooled(befores), p)).toFixed(2);
        console.log(
          `webhooks (healthy): ${where}: now / before in this run${ROUNDS > 1 ? ` (${ROUNDS} rounds pooled)` : ""}: change → receiver p50 ×${ratio(50)}, p99 ×${ratio(99)}; workerd CPU per change ×${(cpu(nows) / cpu(befores)).toFixed(2)}`,
        );
      }
      for (const f of of) console.log(`webhooks (healthy): ${where}: ${f.label}: ${f.resends}`);
      for (const f of nows)
        if (f.ingested < RATE * 0.9)
          console.log(
            `webhooks (healthy): ${where}: ${f.label}: the edge ingested ${f.ingested.toFixed(0)} of the ${RATE} changes/s asked (last collect answered after ${(CHANGES / f.ingested).toFixed(1)} s): latency includes a backlog this machine could not clear`,
          );
      if (nows.some((f) => f.delivered < CHANGES)) process.exitCode = 1;
    }
  }
  if (RUNTIMES.includes("wrangler") && RUNTIMES.includes("direct"))
    for (const variant of VARIANTS) {
      const pick = (runtime: BenchRuntime) =>
        ofRuntime(runs, runtime)
          .filter((f) => f.variant === variant && f.worker === "now")
          .at(-1)!;
      const [w, d] = [pick("wrangler"), pick("direct")];
      console.log(
        `webhooks (healthy): ${VARIANT_LABEL[variant]}, now: workerd directly / \`wrangler dev\`: change → receiver p50 ×${(percentile(d.latency, 50) / percentile(w.latency, 50)).toFixed(2)}, p99 ×${(percentile(d.latency, 99) / percentile(w.latency, 99)).toFixed(2)}; workerd CPU per change ×${(d.cpuMsPerChange / w.cpuMsPerChange).toFixed(2)}`,
      );
    }
  console.log(
    "webhooks (healthy): a change is timed from its `enter`/`exit` time (set in the profile) to the receiver; a request is formed when the delivery object takes the change; the newest 500 requests are split",
  );
  for (const f of runs)
    if (f.profile)
      console.log(
        `webhooks (healthy): ${RUNTIME_LABEL[f.runtime]}, ${VARIANT_LABEL[f.variant]}, ${f.label}: ${f.profile}`,
      );
} finally {
  await receiver.close();
}
