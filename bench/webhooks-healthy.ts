// Webhook latency when all is well (issue 15): audience changes paced at
// 100 a second, delivered to a receiver that always answers 200. Prints
// p50/p90/p99/max from the change in the profile to the receiver's 200, to
// read beside the failing-receiver figures of bench/webhooks.ts (same
// `wrangler dev`, same subscription, same clock: both run on this machine).
//
// The same run first measures a baseline commit (BENCH_HOOK_BEFORE, default
// the commit before profiles handed changes to delivery objects directly;
// `none` skips it), so the two are compared on one machine at one load. The
// workerd CPU per change (every hop: collect, profile, queue, consumer,
// delivery object, send) is read from /proc and does not depend on other
// load on the machine the way latencies do.
import { loadavg } from "node:os";
import { Webhook } from "standardwebhooks";
import { percentile } from "./harness";
import { workerdCpuSeconds } from "./lib/proc-cpu";
import { headersOf, readBody, resendReasons, startReceiver, startWebhookBench } from "./lib/webhook-setup";

const RATE = Number(process.env.BENCH_HOOK_RATE ?? 100); // changes per second
const CHANGES = Number(process.env.BENCH_HOOK_CHANGES ?? 1000);
const USERS = CHANGES / 2; // each enters, then leaves
const BEFORE = process.env.BENCH_HOOK_BEFORE ?? "3b92dd6";
const LOAD = loadavg()[0]!;

/** What one run measured. */
interface Figures {
  label: string;
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
  resends: string;
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

async function measure(label: string, commit?: string): Promise<Figures> {
  const bench = await startWebhookBench(receiver.hook, "healthy", {}, commit);
  const { url, api } = bench;
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
    await fetch(`${url}/c/bench`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ _uid: "warm", active: true }),
    });
    const warmUntil = Date.now() + 10_000;
    while (r.latency.size < 1 && Date.now() < warmUntil) await new Promise((done) => setTimeout(done, 50));
    await new Promise((done) => setTimeout(done, 2_000)); // the warm-up's queue path settles too
    r.latency.clear();
    r.times.clear();
    r.duplicates = 0;

    // Change i: user i % USERS enters (first half) or leaves (second half), one every 1000/RATE ms.
    const cpu0 = workerdCpuSeconds();
    const started = performance.now();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const at = started + (i * 1000) / RATE;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      const uid = `healthy-${i % USERS}`;
      sends.push(
        fetch(`${url}/c/bench`, {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify({ _uid: uid, _eid: `${uid}-${i}`, active: i < USERS }),
        }).then((res) => res.arrayBuffer()),
      );
    }
    await Promise.all(sends);
    const answered = (performance.now() - started) / 1000;
    const deadline = Date.now() + 60_000;
    while (r.latency.size < CHANGES && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
    // The queue path (audience index, confirmations to profiles) finishes its last batch: its CPU counts too.
    await new Promise((done) => setTimeout(done, 3_000));
    const cpuMsPerChange = ((workerdCpuSeconds() - cpu0) * 1000) / CHANGES;
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
      label,
      ingested: CHANGES / answered,
      delivered: r.latency.size,
      duplicates: r.duplicates,
      badSignatures: r.badSignatures,
      latency: [...r.latency.values()],
      toObject,
      toReceiver,
      cpuMsPerChange,
      resends,
    };
  } finally {
    run = null;
    await bench.stop();
  }
}

const ms = (xs: number[], p: number) => (xs.length ? `${percentile(xs, p).toFixed(0)}` : "–");
try {
  const runs: Figures[] = [];
  if (BEFORE !== "none") runs.push(await measure(`before (${BEFORE})`, BEFORE));
  runs.push(await measure("now"));
  console.log(
    `webhooks (healthy): ${CHANGES} audience changes paced at ${RATE}/s to a receiver that always answers 200; one subscription (Lytics format, unbatched, signed); wrangler dev, load average ${LOAD.toFixed(1)} at the start; ${runs.length > 1 ? "the baseline and the current worker one after the other in this run" : "current worker only"}`,
  );
  console.log(
    "| worker | ingested changes/s | delivered | duplicates | bad signatures | change → receiver p50 ms | p90 | p99 | max | change → request formed p50 | p99 | request formed → receiver p50 | p99 | workerd CPU ms / change (all hops) |",
  );
  console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const f of runs)
    console.log(
      `| ${f.label} | ${f.ingested.toFixed(0)} | ${f.delivered}/${CHANGES} | ${f.duplicates} | ${f.badSignatures} | ${ms(f.latency, 50)} | ${ms(f.latency, 90)} | ${ms(f.latency, 99)} | ${f.latency.length ? Math.max(...f.latency).toFixed(0) : "–"} | ${ms(f.toObject, 50)} | ${ms(f.toObject, 99)} | ${ms(f.toReceiver, 50)} | ${ms(f.toReceiver, 99)} | ${f.cpuMsPerChange.toFixed(2)} |`,
    );
  const now = runs[runs.length - 1]!;
  if (runs.length > 1) {
    const before = runs[0]!;
    const ratio = (p: number) => (percentile(now.latency, p) / percentile(before.latency, p)).toFixed(2);
    console.log(
      `webhooks (healthy): now / before in this run: change → receiver p50 ×${ratio(50)}, p99 ×${ratio(99)}; workerd CPU per change ×${(now.cpuMsPerChange / before.cpuMsPerChange).toFixed(2)}`,
    );
  }
  for (const f of runs) console.log(`webhooks (healthy): ${f.label}: ${f.resends}`);
  if (now.ingested < RATE * 0.9)
    console.log(
      `webhooks (healthy): the edge ingested ${now.ingested.toFixed(0)} of the ${RATE} changes/s asked (last collect answered after ${(CHANGES / now.ingested).toFixed(1)} s): latency includes a backlog this machine could not clear`,
    );
  console.log(
    "webhooks (healthy): a change is timed from its `enter`/`exit` time (set in the profile) to the receiver; a request is formed when the delivery object takes the change; the newest 500 requests are split",
  );
  if (now.delivered < CHANGES) process.exitCode = 1;
} finally {
  await receiver.close();
}
