// Shared setup of the webhook benchmarks (bench/webhooks.ts, failing
// receiver; bench/webhooks-healthy.ts, healthy receiver): a receiver on
// 127.0.0.1, a `wrangler dev` on a snapshot of the sources (or workerd
// directly, bench/lib/workerd.ts), an account with one audience and one
// webhook subscription to the receiver, and a reading of the delivery log
// that says why a request was sent more than once.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ADMIN_TOKEN, seed, startServer } from "../harness";
import { bundleDir, sourcesAt, startWorkerd } from "./workerd";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort } from "../../scripts/dev-server.mjs";

/** The whole body of a request, as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

/** A request's headers as plain strings (what `standardwebhooks` verifies). */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Starts a receiver on 127.0.0.1; returns its hook URL, a close function and a count of its connections. */
export async function startReceiver(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
): Promise<{ hook: string; close: () => Promise<void>; connections: () => number }> {
  const receiver = createServer((req, res) => void handle(req, res));
  let connections = 0;
  receiver.on("connection", () => connections++);
  await new Promise<void>((done) => receiver.listen(0, "127.0.0.1", done));
  return {
    hook: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    /** TCP connections the receiver accepted so far (a sender that keeps connections alive opens few). */
    connections: () => connections,
    close: () => new Promise<void>((done) => receiver.close(() => done())),
  };
}

/** Calls the management API of account `bench` as the admin. */
export type Api = (path: string, method?: string, body?: unknown) => Promise<{ data: any }>;

/** What {@link startWebhookBench} set up. */
export interface WebhookBench {
  url: string;
  /** The worker's build: the snapshot of the sources `wrangler dev` runs (its build output is under its .wrangler/), or on workerd directly the bundle itself. */
  dir: string;
  /** The DevTools inspector port of the worker (CPU profiles; on workerd directly only when asked for). */
  inspectorPort: number;
  /** The worker's name for the inspector (`profileWhile`). */
  inspectorName: string;
  api: Api;
  subscription: { id: string; secret: string };
  /** Stops `wrangler dev` (or workerd) and removes the snapshot. */
  stop: () => Promise<void>;
}

/** Where the worker runs: behind `wrangler dev`'s proxy, or on workerd directly (production has no proxy). */
export type BenchRuntime = "wrangler" | "direct";

/** How {@link startWebhookBench} runs the worker. */
export interface BenchOptions {
  /** The worker's sources at this commit instead of the working tree (a baseline in the same run). */
  commit?: string;
  /** Default `wrangler`. */
  runtime?: BenchRuntime;
  /** On workerd directly: open the inspector (CPU profiles). `wrangler dev` always opens one. */
  inspector?: boolean;
}

/**
 * Starts `wrangler dev` on a snapshot of the sources (a reload, when the
 * sources change meanwhile, would drop the local queue's in-flight messages
 * and restart the delivery object mid-send), then creates account `bench`,
 * the audience `active_users` (`FILTER active = true`) and a webhook
 * subscription to `hook` (Lytics format, unbatched, signed). With
 * `options.commit`, the worker runs the sources of that commit instead (a
 * baseline in the same run). With `options.runtime` `direct`, it runs on
 * workerd directly (Miniflare, the bundle `wrangler deploy` builds, its
 * local queue and Durable Objects), with no `wrangler dev` proxy in front.
 */
export async function startWebhookBench(
  hook: string,
  name: string,
  vars: Record<string, string> = {},
  options: BenchOptions = {},
): Promise<WebhookBench> {
  const { commit, runtime = "wrangler" } = options;
  if (runtime === "direct") return startDirect(hook, name, vars, options);
  const repo = process.cwd();
  const snapshot = mkdtempSync(join(tmpdir(), "pathlight-webhooks-src-"));
  const sources = ["wrangler.toml", "package.json", "tsconfig.json", "tsconfig.base.json", "edge", "types"];
  if (commit) {
    const tar = execFileSync("git", ["archive", "--format=tar", commit, ...sources], { maxBuffer: 1 << 28 });
    execFileSync("tar", ["-x", "-C", snapshot], { input: tar });
  } else for (const entry of sources) cpSync(join(repo, entry), join(snapshot, entry), { recursive: true });
  for (const entry of ["node_modules", "dist"]) symlinkSync(resolve(repo, entry), join(snapshot, entry));
  process.chdir(snapshot);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(vars);
  } finally {
    process.chdir(repo);
  }
  const stop = async () => {
    await server.stop();
    rmSync(snapshot, { recursive: true, force: true });
  };
  return setUp(hook, name, {
    url: server.url,
    dir: snapshot,
    inspectorPort: server.inspectorPort,
    inspectorName: "Cloudflare Worker",
    stop,
  });
}

/** {@link startWebhookBench} on workerd directly: one workerd running the worker `app`. */
async function startDirect(
  hook: string,
  name: string,
  vars: Record<string, string>,
  options: BenchOptions,
): Promise<WebhookBench> {
  const config = options.commit ? sourcesAt(options.commit).config : "wrangler.toml";
  const inspectorPort: number = options.inspector ? await freePort() : 0;
  const w = await startWorkerd(
    [{ name: "app", config, vars: { ADMIN_TOKEN, PATHLIGHT_ENV: "development", ...vars } }],
    inspectorPort ? { inspectorPort } : {},
  );
  return setUp(hook, name, {
    url: w.urls.app!,
    dir: bundleDir("app"),
    inspectorPort,
    inspectorName: "app",
    stop: w.stop,
  });
}

/** Creates the bench account, its audience and the subscription on a started worker. */
async function setUp(
  hook: string,
  name: string,
  server: Omit<WebhookBench, "api" | "subscription">,
): Promise<WebhookBench> {
  const { url, stop } = server;
  const api: Api = async (path, method = "GET", body) => {
    const res = await fetch(`${url}${path}${path.includes("?") ? "&" : "?"}cid=bench`, {
      method,
      headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { data: any };
  };
  try {
    await seed(url, { cid: "bench", domains: ["localhost"], rate_limit_per_second: 100_000 });
    await api("/v2/segment", "POST", { slug_name: "active_users", segment_ql: "FILTER active = true" });
    const sub = (
      await api("/api/subscription", "POST", {
        channel: "webhook",
        name,
        segment_ids: ["active_users"],
        webhook_url: hook,
      })
    ).data as { id: string; secret: string };
    return { ...server, api, subscription: { id: sub.id, secret: sub.secret } };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Why requests were sent more than once, from the delivery log (the newest
 * 500 delivered requests): how many took more than one attempt, and the
 * errors of their failed attempts, most frequent first.
 */
export async function resendReasons(api: Api, subscription: string): Promise<string> {
  const log = (await api(`/api/subscription/${subscription}/deliveries?state=delivered&limit=500`)).data.deliveries as {
    attempts: number;
    log: { status: number | null; error: string | null }[];
  }[];
  const retried = log.filter((d) => d.attempts > 1);
  const why = new Map<string, number>();
  for (const d of retried)
    for (const a of d.log) {
      if (a.status !== null && a.status < 300) continue;
      const key = (a.error ?? String(a.status)).replace(/\d+ ms/, "N ms");
      why.set(key, (why.get(key) ?? 0) + 1);
    }
  const reasons = [...why].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} × ${k}`);
  return `${retried.length} of the newest ${log.length} delivered requests took more than one attempt${reasons.length ? ` (failed attempts: ${reasons.join(", ")})` : ""}`;
}

/**
 * Posts events to the tag's collect endpoint of the bench account, retrying
 * a failed request up to 5 times (event ids make that safe: the edge drops
 * events it has seen); throws with the last answer after that.
 */
export async function postEvents(url: string, events: Record<string, unknown>[]): Promise<void> {
  const body = JSON.stringify(events);
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}/c/bench`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body,
    }).catch((err: Error) => err);
    if (res instanceof Response && res.ok) return void (await res.arrayBuffer());
    if (attempt >= 5)
      throw new Error(`collect failed: ${res instanceof Response ? `${res.status} ${await res.text()}` : res.message}`);
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
}

/**
 * Creates people before a timed run (untimed): their first events, 50
 * people a request, 8 requests at a time, through the tag's collect
 * endpoint (each event has an event id, so a retried request is safe).
 * `fields(uid)` is each person's first event.
 */
export async function seedPeople(
  url: string,
  uids: string[],
  fields: (uid: string) => Record<string, unknown>,
): Promise<void> {
  const chunks: string[][] = [];
  for (let i = 0; i < uids.length; i += 50) chunks.push(uids.slice(i, i + 50));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < chunks.length) {
        await postEvents(
          url,
          chunks[next++]!.map((uid) => ({ _uid: uid, _eid: `${uid}-seed`, ...fields(uid) })),
        );
      }
    }),
  );
}

/**
 * Waits until the subscription delivered at least `delivered` requests and
 * has nothing pending, sending or queued (or `ms` passed); returns its counts.
 */
export async function quiet(
  api: Api,
  subscription: string,
  delivered: number,
  ms: number,
): Promise<Record<string, number>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const c = (await api(`/api/subscription/${subscription}/deliveries?limit=1`)).data.counts as Record<string, number>;
    if ((c.delivered! >= delivered && c.pending! + c.sending! + c.queued_messages! === 0) || Date.now() > deadline)
      return c;
    await new Promise((r) => setTimeout(r, 250));
  }
}
