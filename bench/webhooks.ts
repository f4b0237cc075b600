// Webhook reliability (PRODUCT.md §8): 10,000 audience enter/exit changes
// delivered to a local receiver that fails 30% of requests at random.
// Prints deliveries, lost (must be 0), duplicates, attempts (requests the
// receiver saw), the time to drain, and end-to-end latency (the change in
// the profile → the receiver accepting it), for the burst (changes arrive
// faster than one local workerd thread delivers them, so latency is mostly
// backlog) and for a paced run after it.
//
// The people exist before timing starts (seeded untimed, 50 a request, none
// of them a member), so every timed change is an audience change of a known
// person, not the creation of a new one (bench/scale.ts measures that).
//
// The retry schedule is shrunk 10,000× (WEBHOOK_RETRY_SCALE=0.0001, honoured
// only in development mode) so its ten attempts fit in ~25 s instead of
// ~3 days; everything else is what production runs.
//
// Environment: BENCH_HOOK_DELIVERIES — changes in the burst (default
// 10,000; 10 per person, so people = deliveries / 10), e.g. 1000 for a
// quick check; BENCH_HOOK_DRAIN_S — how long the burst may take to drain
// before what is still queued is reported as not delivered (default 480).
import { Webhook } from "standardwebhooks";
import { percentile } from "./harness";
import {
  headersOf,
  postEvents,
  quiet,
  readBody,
  resendReasons,
  seedPeople,
  startReceiver,
  startWebhookBench,
} from "./lib/webhook-setup";

const ROUNDS = 10; // each person enters and leaves 5 times: USERS × 10 changes
const USERS = Math.max(1, Math.round(Number(process.env.BENCH_HOOK_DELIVERIES ?? 10_000) / ROUNDS));
const DRAIN_MS = Number(process.env.BENCH_HOOK_DRAIN_S ?? 480) * 1000;
const PER_REQUEST = 50; // events per collect request (each a different person)
const CONCURRENCY = 8;
const PACED = { users: 100, perSecond: 20 }; // 200 changes, one every 50 ms
const RETRY_SCALE = "0.0001";

type Fate = "ok" | "error" | "reset" | "lost-ack";
/** 70% accepted; 15% HTTP 500 and 10% connection reset before processing; 5% processed, then the connection reset before the answer (the ack is lost). */
function fate(): Fate {
  const r = Math.random();
  if (r < 0.7) return "ok";
  if (r < 0.85) return "error";
  if (r < 0.95) return "reset";
  return "lost-ack";
}

// ---- receiver -----------------------------------------------------------

interface Message {
  data: {
    _uids: string[];
    segment_events: { slug: string; event: string; enter: string | null; exit: string | null }[];
  };
  meta: { profile_id: string; seq: number };
}

let verifier: Webhook | null = null;
/** Change (profile, seq, audience, event) → end-to-end latency of its first accepted delivery, by run. */
const firstSeen = { burst: new Map<string, number>(), paced: new Map<string, number>() };
const lostAcks = new Set<string>(); // webhook-ids whose ack was lost
const duplicates = { afterLostAck: 0, other: 0 };
let badSignatures = 0;
/** When the receiver first accepted the newest change of the burst. */
let lastBurstDelivery = 0;
const answers: Record<Fate, number> = { ok: 0, error: 0, reset: 0, "lost-ack": 0 };

const receiver = await startReceiver(async (req, res) => {
  const body = await readBody(req);
  const f = fate();
  answers[f]++;
  if (f === "error") return void res.writeHead(500).end("try later");
  if (f === "reset") return void req.socket.destroy();
  const headers = headersOf(req);
  let message: Message;
  try {
    message = verifier!.verify(body, headers) as Message;
  } catch {
    badSignatures++;
    return void res.writeHead(400).end("bad signature");
  }
  const now = Date.now();
  const id = headers["webhook-id"]!;
  const run = message.data._uids[0]!.startsWith("paced-") ? firstSeen.paced : firstSeen.burst;
  for (const e of message.data.segment_events) {
    const key = `${message.meta.profile_id}|${message.meta.seq}|${e.slug}|${e.event}`;
    if (run.has(key)) duplicates[lostAcks.has(id) ? "afterLostAck" : "other"]++;
    else {
      run.set(key, now - Date.parse((e.event === "enter" ? e.enter : e.exit) ?? ""));
      if (run === firstSeen.burst) lastBurstDelivery = now;
    }
  }
  if (f === "lost-ack") {
    lostAcks.add(id);
    return void req.socket.destroy();
  }
  res.writeHead(204).end();
});

// ---- worker -------------------------------------------------------------

const bench = await startWebhookBench(receiver.hook, "bench", { WEBHOOK_RETRY_SCALE: RETRY_SCALE });
const { url, api } = bench;

/** Sends events to the bench account (retried, see postEvents). */
const send = (events: Record<string, unknown>[]) => postEvents(url, events);

const stats = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(0)} ms, p90 ${percentile(xs, 90).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;

try {
  const sub = bench.subscription;
  verifier = new Webhook(sub.secret);
  const counts = async () =>
    (await api(`/api/subscription/${sub.id}/deliveries?limit=1`)).data.counts as Record<string, number>;

  /** Waits until `expected` changes arrived and nothing is queued (or nothing moves for 40 s); returns the final counts. */
  async function settle(run: Map<string, number>, expected: number, deadline: number): Promise<Record<string, number>> {
    let last = -1;
    let moved = Date.now();
    for (;;) {
      const c = await counts();
      const busy = c.pending! + c.sending! + c.queued_messages!;
      if (run.size >= expected && busy === 0) return c;
      if (run.size !== last) [last, moved] = [run.size, Date.now()];
      if ((busy === 0 && Date.now() - moved > 40_000) || Date.now() > deadline) return c;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  // Untimed: the people exist, none of them a member (no audience change, nothing delivered).
  const uids = Array.from({ length: USERS }, (_, i) => `burst-${i}`);
  const seedStarted = Date.now();
  await seedPeople(url, uids, () => ({ active: false }));
  const seeded = Date.now();
  await quiet(api, sub.id, 0, 30_000);

  // Burst: round r sets every person active (even r: enter) or inactive (odd r: exit).
  const burstExpected = USERS * ROUNDS;
  const started = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    const chunks: string[][] = [];
    for (let i = 0; i < uids.length; i += PER_REQUEST) chunks.push(uids.slice(i, i + PER_REQUEST));
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < chunks.length)
          await send(chunks[next++]!.map((uid) => ({ _uid: uid, _eid: `${uid}-${round}`, active: round % 2 === 0 })));
      }),
    );
  }
  const ingested = Date.now();
  console.log(
    `webhooks: burst: ${burstExpected} changes ingested in ${((ingested - started) / 1000).toFixed(1)} s (people seeded in ${((seeded - seedStarted) / 1000).toFixed(1)} s before); ${firstSeen.burst.size} delivered so far, draining (window ${DRAIN_MS / 1000} s)`,
  );
  let final = await settle(firstSeen.burst, burstExpected, ingested + DRAIN_MS);
  const dead = final.dead!;
  let deadWhy = "";
  if (dead > 0) {
    const letters = (await api(`/api/subscription/${sub.id}/deliveries?state=dead&limit=500`)).data.deliveries as {
      log: { status: number | null; error: string | null }[];
    }[];
    const why = new Map<string, number>();
    for (const l of letters)
      for (const a of l.log) why.set(a.error ?? String(a.status), (why.get(a.error ?? String(a.status)) ?? 0) + 1);
    deadWhy = ` — their attempts: ${[...why].map(([k, n]) => `${n} × ${k}`).join(", ")}`;
    // What an operator does with dead letters.
    await api(`/api/subscription/${sub.id}/replay`, "POST", {});
    final = await settle(firstSeen.burst, burstExpected, Date.now() + 60_000);
  }
  // When the receiver first had the last change of the burst (the drain ended), or now if some never came.
  const delivered = firstSeen.burst.size >= burstExpected ? lastBurstDelivery : Date.now();
  const burstRequests = Object.values(answers).reduce((a, b) => a + b, 0);

  // Paced: enters then exits, one change every 50 ms, after the backlog is gone.
  const pacedExpected = PACED.users * 2;
  const pacedStart = Date.now();
  for (let i = 0; i < pacedExpected; i++) {
    const uid = `paced-${i % PACED.users}`;
    void send([{ _uid: uid, _eid: `${uid}-${i}`, active: i < PACED.users }]);
    await new Promise((r) => setTimeout(r, 1000 / PACED.perSecond));
  }
  const pacedFinal = await settle(firstSeen.paced, pacedExpected, pacedStart + 60_000);

  const missing = burstExpected - firstSeen.burst.size;
  const pacedMissing = pacedExpected - firstSeen.paced.size;
  const busy = (c: Record<string, number>) => c.pending! + c.sending! + c.queued_messages!;
  // Lost: not delivered although nothing is left to send. Not delivered while requests are still queued or
  // retrying is a drain the window cut short, reported as such.
  const burstLost = busy(final) === 0 ? missing : 0;
  const pacedLost = busy(pacedFinal) === 0 ? pacedMissing : 0;
  const requests = Object.values(answers).reduce((a, b) => a + b, 0);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `webhooks: ${USERS} people (seeded untimed in ${s(seeded - seedStarted)}, none a member) × ${ROUNDS} audience changes = ${burstExpected} enter/exit changes of known people (+ ${pacedExpected} paced), one subscription (Lytics format, unbatched, signed)`,
  );
  console.log(
    `webhooks: receiver on 127.0.0.1 failed ${(((requests - answers.ok) / requests) * 100).toFixed(1)}% of ${requests} requests at random: ${answers.error} HTTP 500, ${answers.reset} connection resets, ${answers["lost-ack"]} processed but the ack lost`,
  );
  console.log(
    `webhooks: retry schedule shrunk 10,000× for this run (WEBHOOK_RETRY_SCALE=${RETRY_SCALE}, development mode only): 5 s → 0.5 ms … 24 h → 8.6 s`,
  );
  console.log(
    `webhooks: burst: deliveries ${firstSeen.burst.size}/${burstExpected}, lost ${burstLost}${missing && !burstLost ? `, not delivered when the ${s(DRAIN_MS)} drain window closed ${missing} (still queued or retrying, not lost)` : ""}; dead-lettered ${dead}${dead ? ` (then replayed)${deadWhy}` : ""}; final ${JSON.stringify(final)}`,
  );
  console.log(
    `webhooks: burst: attempts ${burstRequests} (requests the receiver saw, ${(burstRequests / burstExpected).toFixed(2)} per change)`,
  );
  console.log(
    `webhooks: paced: deliveries ${firstSeen.paced.size}/${pacedExpected}, lost ${pacedLost}${pacedMissing && !pacedLost ? `, not delivered in the window ${pacedMissing} (still queued)` : ""}; final ${JSON.stringify(pacedFinal)}`,
  );
  console.log(
    `webhooks: duplicates ${duplicates.afterLostAck + duplicates.other}: ${duplicates.afterLostAck} re-sent after a lost ack, ${duplicates.other} other (same webhook-id each time: receivers drop them); bad signatures ${badSignatures}`,
  );
  console.log(
    `webhooks: burst latency (change → accepted, retries and backlog included) ${stats([...firstSeen.burst.values()])}`,
  );
  console.log(
    `webhooks: burst: ingest ${s(ingested - started)} (${(burstExpected / ((ingested - started) / 1000)).toFixed(0)} changes/s); time to drain ${missing ? `more than ${s(delivered - ingested)} (not all delivered)` : s(delivered - ingested)} after the last change was ingested, ${s(delivered - started)} after the first (${(burstRequests / ((delivered - started) / 1000)).toFixed(0)} requests/s)`,
  );
  console.log(
    `webhooks: paced latency (${PACED.perSecond} changes/s, retries included) ${stats([...firstSeen.paced.values()])}`,
  );
  console.log(
    `webhooks: one wrangler dev (a single workerd thread runs ingest, queue and delivery) on 2 cores shared with the receiver and load generator`,
  );
  console.log(`webhooks: ${await resendReasons(api, sub.id)}`);
  if (missing + pacedMissing > 0) process.exitCode = 1;
} finally {
  await bench.stop();
  await receiver.close();
}
