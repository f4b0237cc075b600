// Webhook latency when all is well (issue 15): audience changes paced at
// 100 a second, delivered to a receiver that always answers 200. Prints
// p50/p90/p99/max from the change in the profile to the receiver's 200, to
// read beside the failing-receiver figures of bench/webhooks.ts (same
// `wrangler dev`, same subscription, same clock: both run on this machine).
import { Webhook } from "standardwebhooks";
import { percentile } from "./harness";
import { headersOf, readBody, resendReasons, startReceiver, startWebhookBench } from "./lib/webhook-setup";

const RATE = Number(process.env.BENCH_HOOK_RATE ?? 100); // changes per second
const CHANGES = Number(process.env.BENCH_HOOK_CHANGES ?? 1000);
const USERS = CHANGES / 2; // each enters, then leaves

let verifier: Webhook | null = null;
const latency = new Map<string, number>();
/** `profile|seq` → when the change happened in the profile and when the receiver first had it. */
const times = new Map<string, { changed: number; received: number }>();
let duplicates = 0;
let badSignatures = 0;
const receiver = await startReceiver(async (req, res) => {
  const body = await readBody(req);
  const now = Date.now();
  try {
    const m = verifier!.verify(body, headersOf(req)) as {
      data: { segment_events: { slug: string; event: string; enter: string | null; exit: string | null }[] };
      meta: { profile_id: string; seq: number };
    };
    for (const e of m.data.segment_events) {
      const key = `${m.meta.profile_id}|${m.meta.seq}|${e.slug}|${e.event}`;
      if (latency.has(key)) duplicates++;
      else {
        const changed = Date.parse((e.event === "enter" ? e.enter : e.exit) ?? "");
        latency.set(key, now - changed);
        times.set(`${m.meta.profile_id}|${m.meta.seq}`, { changed, received: now });
      }
    }
  } catch {
    badSignatures++;
  }
  res.writeHead(200).end("ok");
});

const bench = await startWebhookBench(receiver.hook, "healthy");
const { url, api } = bench;

try {
  verifier = new Webhook(bench.subscription.secret);
  // Warm-up: code compiled, the subscription routes known to the queue consumer.
  await fetch(`${url}/c/bench`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify({ _uid: "warm", active: true }),
  });
  const warmUntil = Date.now() + 10_000;
  while (latency.size < 1 && Date.now() < warmUntil) await new Promise((r) => setTimeout(r, 50));
  latency.clear();
  times.clear();

  // Change i: user i % USERS enters (first half) or leaves (second half), one every 1000/RATE ms.
  const started = performance.now();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const at = started + (i * 1000) / RATE;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const uid = `healthy-${i % USERS}`;
    sends.push(
      fetch(`${url}/c/bench`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ _uid: uid, _eid: `${uid}-${i}`, active: i < USERS }),
      }).then((r) => r.arrayBuffer()),
    );
  }
  const paced = (performance.now() - started) / 1000;
  await Promise.all(sends);
  const answered = (performance.now() - started) / 1000;
  const deadline = Date.now() + 60_000;
  while (latency.size < CHANGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const xs = [...latency.values()];
  const f = (p: number) => `${percentile(xs, p).toFixed(0)} ms`;
  console.log(
    `webhooks (healthy): ${CHANGES} audience changes paced at ${RATE}/s (sent in ${paced.toFixed(1)} s) to a receiver that always answers 200; one subscription (Lytics format, unbatched, signed); wrangler dev on 2 shared cores`,
  );
  console.log(
    `webhooks (healthy): the edge answered the last collect ${answered.toFixed(1)} s after the first (${(CHANGES / answered).toFixed(0)} changes/s ingested${CHANGES / answered < RATE * 0.9 ? `: below the ${RATE}/s asked, so latency includes a backlog this machine could not clear` : ""})`,
  );
  console.log(
    `webhooks (healthy): delivered ${latency.size}/${CHANGES}, duplicates ${duplicates}, bad signatures ${badSignatures}`,
  );
  console.log(
    `webhooks (healthy): change → receiver 200: p50 ${f(50)}, p90 ${f(90)}, p99 ${f(99)}, max ${Math.max(...xs).toFixed(0)} ms`,
  );
  console.log(`webhooks (healthy): ${await resendReasons(api, bench.subscription.id)}`);
  // Where the time went, for the newest 500 requests: change → the delivery object formed the request (profile
  // outbox, queue, consumer, sink), then request formed → the receiver had it (send queue, signing, HTTP).
  const log = (await api(`/api/subscription/${bench.subscription.id}/deliveries?limit=500`)).data.deliveries as {
    created: string;
    messages: { profile_id: string; seq: number }[];
  }[];
  const toObject: number[] = [];
  const toReceiver: number[] = [];
  for (const d of log) {
    const t = times.get(`${d.messages[0]?.profile_id}|${d.messages[0]?.seq}`);
    if (!t) continue;
    toObject.push(Date.parse(d.created) - t.changed);
    toReceiver.push(t.received - Date.parse(d.created));
  }
  const g = (xs: number[], p: number) => `${percentile(xs, p).toFixed(0)} ms`;
  console.log(
    `webhooks (healthy): of which change → request formed in the delivery object (outbox, queue, consumer, sink): p50 ${g(toObject, 50)}, p99 ${g(toObject, 99)}; request formed → receiver: p50 ${g(toReceiver, 50)}, p99 ${g(toReceiver, 99)} (newest ${toObject.length} requests)`,
  );
  if (latency.size < CHANGES) process.exitCode = 1;
} finally {
  await bench.stop();
  await receiver.close();
}
