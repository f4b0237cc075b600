// The fault suite: a real worker (`wrangler dev` with persisted Durable
// Object state, as `npm start` runs it) is killed with SIGKILL while a load
// of collects runs, then restarted on the same state. What must hold:
// - every event the worker acknowledged with a 2xx is stored (read back
//   through the entity API);
// - the client's outbox (as the tag's: same `_eid`, resent until a 2xx)
//   delivers the rest exactly once: every event stored, none counted twice;
// - the webhook outbox delivers every audience entry to a local receiver:
//   none lost, and none twice under two ids (a receiver deduplicating by
//   `webhook-id` / `meta.event_id` sees each exactly once).
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort, seedAccount, startWrangler } from "../../scripts/dev-server.mjs";

interface Wrangler {
  url: string;
  stop(): Promise<void>;
  crash(): Promise<void>;
}

const ADMIN = "fault-admin-token";
const CID = "fault";
const ORIGIN = "http://localhost";
/** Visitors, events per visitor, events per request (the tag batches calls made within 30 ms). */
const VISITORS = 24;
const EVENTS = 30;
const PER_REQUEST = 3;
/** Requests in flight at once. */
const CONCURRENCY = 6;
/** Each visitor enters these audiences once: event `at` carries the flag. */
const FLAGS = [
  { slug: "fault_a", field: "flag_a", at: 4 },
  { slug: "fault_b", field: "flag_b", at: 14 },
  { slug: "fault_c", field: "flag_c", at: 26 },
];

const dir = mkdtempSync(join(tmpdir(), "pathlight-fault-"));
let port = 0;
let worker: Wrangler | undefined;

async function start(): Promise<Wrangler> {
  return startWrangler({
    port,
    persistTo: join(dir, "state"),
    vars: {
      ADMIN_TOKEN: ADMIN,
      PATHLIGHT_ENV: "development",
      WEBHOOK_RETRY_SCALE: "0.001",
      // Profiles resend audience changes the queue consumer has not confirmed after 3 s (120 s by default).
      SEGMENT_EVENTS_CONFIRM_MS: "3000",
    },
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, "config"), WRANGLER_SEND_METRICS: "false" },
    quiet: true,
    group: true,
  });
}

/** A webhook receiver on 127.0.0.1 that records every message it accepted. */
interface Delivery {
  webhookId: string;
  eventId: string;
  profile: string;
  uids: string[];
  enters: string[];
}
const delivered: Delivery[] = [];
let receiver: Server;

function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      for (const m of Array.isArray(body) ? body : [body]) {
        delivered.push({
          webhookId: String(req.headers["webhook-id"]),
          eventId: m.meta.event_id,
          profile: m.meta.profile_id,
          uids: m.data._uids,
          enters: m.data.segment_events.filter((e: any) => e.event === "enter").map((e: any) => e.slug),
        });
      }
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`)),
  );
}

async function admin(path: string, method = "GET", body?: unknown): Promise<Response> {
  return fetch(`${worker!.url}${path}${path.includes("?") ? "&" : "?"}cid=${CID}`, {
    method,
    headers: { authorization: ADMIN, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** One request's worth of events, as the tag's outbox holds them. */
interface Batch {
  uid: string;
  events: Record<string, unknown>[];
  acked: boolean;
  attempts: number;
}

function batches(): Batch[] {
  const out: Batch[] = [];
  // Interleaved by visitor, so every visitor is mid-stream when the worker dies.
  for (let first = 0; first < EVENTS; first += PER_REQUEST) {
    for (let v = 0; v < VISITORS; v++) {
      const uid = `fault-visitor-${v}`;
      const events = [];
      for (let i = first; i < Math.min(EVENTS, first + PER_REQUEST); i++) {
        const event: Record<string, unknown> = { _uid: uid, _eid: `${uid}-e${i}`, seen: `e${i}`, step: i };
        for (const f of FLAGS) if (f.at === i) event[f.field] = true;
        events.push(event);
      }
      out.push({ uid, events, acked: false, attempts: 0 });
    }
  }
  return out;
}

/** Sends a batch once; true when the worker answered 2xx. */
async function send(batch: Batch): Promise<boolean> {
  batch.attempts++;
  try {
    const res = await fetch(`${worker!.url}/c/${CID}`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "text/plain" },
      body: JSON.stringify(batch.events),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    if (res.ok) batch.acked = true;
    else if (res.status < 500) throw new Error(`collect refused: ${res.status}`);
    return res.ok;
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("collect refused")) throw err;
    return false;
  }
}

/** Runs `work` over `items` with `CONCURRENCY` in flight. */
async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

const all = batches();
let ackedBeforeCrash = 0;
let failedAtCrash = 0;

beforeAll(async () => {
  port = await freePort();
  const hook = await startReceiver();
  worker = await start();
  await seedAccount(worker.url, ADMIN, {
    cid: CID,
    name: "Fault",
    domains: ["localhost"],
    fields: { seen: { merge: "unique" } },
  });
  for (const f of FLAGS) {
    const res = await admin("/v2/segment", "POST", { slug_name: f.slug, segment_ql: `FILTER EXISTS ${f.field}` });
    if (res.status !== 201) throw new Error(`audience: ${res.status} ${await res.text()}`);
  }
  const sub = await admin("/api/subscription", "POST", {
    channel: "webhook",
    segment_ids: FLAGS.map((f) => f.slug),
    webhook_url: `${hook}/hook`,
  });
  if (!sub.ok) throw new Error(`subscription: ${sub.status} ${await sub.text()}`);

  // The load, with the worker killed just after the requests that make every
  // visitor enter fault_b are acknowledged: their audience changes are then on
  // their way to the webhook (profile outbox, queue, delivery object).
  const crashAfter = (Math.floor(FLAGS[1]!.at / PER_REQUEST) + 1) * VISITORS;
  let crashed: Promise<void> | undefined;
  await pool(all, async (batch) => {
    if (crashed) await crashed;
    await send(batch);
    if (!crashed && all.filter((b) => b.acked).length >= crashAfter) {
      crashed = worker!.crash();
      await crashed;
    }
  });
  ackedBeforeCrash = all.filter((b) => b.acked).length;
  failedAtCrash = all.length - ackedBeforeCrash;

  // Restart on the same state; the client's outbox resends what was not acknowledged.
  worker = await start();
  for (let round = 0; round < 5 && all.some((b) => !b.acked); round++)
    await pool(
      all.filter((b) => !b.acked),
      async (b) => void (await send(b)),
    );
}, 150_000);

afterAll(async () => {
  await worker?.stop();
  receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the worker killed (SIGKILL) under a collect load and restarted on its state", { timeout: 60_000 }, () => {
  it("acknowledged some events before the kill and lost connections to the others", () => {
    console.log(
      `fault: ${all.length} requests of ${PER_REQUEST} events (${VISITORS} visitors × ${EVENTS}); ` +
        `${ackedBeforeCrash} acknowledged before the kill, ${failedAtCrash} resent after the restart`,
    );
    expect(ackedBeforeCrash).toBeGreaterThan(0);
    expect(failedAtCrash).toBeGreaterThan(0);
    expect(all.every((b) => b.acked)).toBe(true);
  });

  it("stores every event exactly once: acknowledged ones survive the kill, resent ones are not counted twice", async () => {
    for (let v = 0; v < VISITORS; v++) {
      const uid = `fault-visitor-${v}`;
      const res = await admin(`/api/entity/user/_uid/${uid}?meta=true`);
      expect(res.status, uid).toBe(200);
      const body = (await res.json()) as { data: { seen: string[] }; meta: { events: number } };
      const seen = [...body.data.seen].sort();
      const expected = Array.from({ length: EVENTS }, (_, i) => `e${i}`).sort();
      expect(seen, uid).toEqual(expected);
      // The profile counted each event once, however often it was sent.
      expect(body.meta.events, uid).toBe(EVENTS);
    }
  });

  it("delivers every audience entry to the webhook receiver, each under one id", async () => {
    const want = VISITORS * FLAGS.length;
    const entries = () => new Set(delivered.flatMap((d) => d.enters.map((slug) => `${d.uids[0]} ${slug}`)));
    await until(
      async () => entries().size,
      (n) => n >= want,
    );
    const ids = new Set(delivered.map((d) => d.eventId));
    console.log(
      `fault: ${delivered.length} webhook messages received, ${ids.size} distinct ids, ${entries().size}/${want} audience entries`,
    );
    // No loss: every visitor entered every audience, as the receiver saw it.
    for (let v = 0; v < VISITORS; v++)
      for (const f of FLAGS) expect(entries().has(`fault-visitor-${v} ${f.slug}`), `visitor ${v} ${f.slug}`).toBe(true);
    // No duplicates: a receiver that drops repeated ids sees each entry once.
    const byId = new Map(delivered.map((d) => [d.eventId, d]));
    const counted = new Map<string, number>();
    for (const d of byId.values())
      for (const slug of d.enters) counted.set(`${d.uids[0]} ${slug}`, (counted.get(`${d.uids[0]} ${slug}`) ?? 0) + 1);
    expect([...counted.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // A request resent keeps its webhook-id and carries the same message.
    const perRequest = new Map<string, Set<string>>();
    for (const d of delivered) perRequest.set(d.webhookId, (perRequest.get(d.webhookId) ?? new Set()).add(d.eventId));
    for (const [id, events] of perRequest) expect(events.size, id).toBe(1);
  });
});
