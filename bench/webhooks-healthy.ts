// Webhook latency when all is well (issue 15): audience changes paced at
// 100 a second, delivered to a receiver that always answers 200. Prints
// p50/p90/p99/max from the change in the profile to the receiver's 200, to
// read beside the failing-receiver figures of bench/webhooks.ts (same
// `wrangler dev`, same subscription, same clock: both run on this machine).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { ADMIN_TOKEN, percentile, seed, startServer } from "./harness";

const RATE = Number(process.env.BENCH_HOOK_RATE ?? 100); // changes per second
const CHANGES = Number(process.env.BENCH_HOOK_CHANGES ?? 1000);
const USERS = CHANGES / 2; // each enters, then leaves

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

let verifier: Webhook | null = null;
const latency = new Map<string, number>();
let duplicates = 0;
let badSignatures = 0;
const receiver = createServer(async (req, res) => {
  const body = await readBody(req);
  const now = Date.now();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
  try {
    const m = verifier!.verify(body, headers) as {
      data: { segment_events: { slug: string; event: string; enter: string | null; exit: string | null }[] };
      meta: { profile_id: string; seq: number };
    };
    for (const e of m.data.segment_events) {
      const key = `${m.meta.profile_id}|${m.meta.seq}|${e.slug}|${e.event}`;
      if (latency.has(key)) duplicates++;
      else latency.set(key, now - Date.parse((e.event === "enter" ? e.enter : e.exit) ?? ""));
    }
  } catch {
    badSignatures++;
  }
  res.writeHead(200).end("ok");
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const server = await startServer();
const { url } = server;
const api = async (path: string, method = "GET", body?: unknown) => {
  const res = await fetch(`${url}${path}${path.includes("?") ? "&" : "?"}cid=bench`, {
    method,
    headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { data: { id: string; secret: string } };
};

try {
  await seed(url, { cid: "bench", domains: ["localhost"], rate_limit_per_second: 100_000 });
  await api("/v2/segment", "POST", { slug_name: "active_users", segment_ql: "FILTER active = true" });
  const sub = (
    await api("/api/subscription", "POST", {
      channel: "webhook",
      name: "healthy",
      segment_ids: ["active_users"],
      webhook_url: hook,
    })
  ).data;
  verifier = new Webhook(sub.secret);
  // Warm-up: code compiled, the subscription routes known to the queue consumer.
  await fetch(`${url}/c/bench`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify({ _uid: "warm", active: true }),
  });
  const warmUntil = Date.now() + 10_000;
  while (latency.size < 1 && Date.now() < warmUntil) await new Promise((r) => setTimeout(r, 50));
  latency.clear();

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
  const deadline = Date.now() + 60_000;
  while (latency.size < CHANGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const xs = [...latency.values()];
  const f = (p: number) => `${percentile(xs, p).toFixed(0)} ms`;
  console.log(
    `webhooks (healthy): ${CHANGES} audience changes paced at ${RATE}/s (sent in ${paced.toFixed(1)} s) to a receiver that always answers 200; one subscription (Lytics format, unbatched, signed); wrangler dev on 2 shared cores`,
  );
  console.log(
    `webhooks (healthy): delivered ${latency.size}/${CHANGES}, duplicates ${duplicates}, bad signatures ${badSignatures}`,
  );
  console.log(
    `webhooks (healthy): change → receiver 200: p50 ${f(50)}, p90 ${f(90)}, p99 ${f(99)}, max ${Math.max(...xs).toFixed(0)} ms`,
  );
  if (latency.size < CHANGES) process.exitCode = 1;
} finally {
  await server.stop();
  await new Promise<void>((done) => receiver.close(() => done()));
}
