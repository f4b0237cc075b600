// globalSetup of the worker tests (runs in Node, outside workerd): a real
// HTTP receiver for webhook deliveries on 127.0.0.1. It records every
// request and answers per path as tests tell it to. Tests find it with
// `inject("receiverUrl")`.
//
// Control API (JSON):
// - POST /_control/script {path, statuses: [500, 200, ...], fallback?: 200, retry_after?: "1"}
//   answers the next requests to `path` with these statuses in turn, then
//   `fallback`. A status of 0 drops the connection (network error).
// - GET  /_control/requests?path=/x   every request recorded for that path
//   (method, headers, body, status answered, time, which connection carried it).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { TestProject } from "vitest/node";

/** A request the receiver recorded. */
export interface Recorded {
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered (0: it dropped the connection). */
  status: number;
  at: number;
  /** Which TCP connection carried it (numbered in the order the receiver accepted them). */
  connection: number;
}

interface Script {
  statuses: number[];
  fallback: number;
  retryAfter?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const records = new Map<string, Recorded[]>();
  const scripts = new Map<string, Script>();
  const connections = new WeakMap<Socket, number>();
  let connectionCount = 0;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    const body = await readBody(req);
    if (url.pathname === "/_control/script" && req.method === "POST") {
      const s = JSON.parse(body) as { path: string; statuses?: number[]; fallback?: number; retry_after?: string };
      scripts.set(s.path, {
        statuses: [...(s.statuses ?? [])],
        fallback: s.fallback ?? 200,
        retryAfter: s.retry_after,
      });
      return json(res, 200, { ok: true });
    }
    if (url.pathname === "/_control/requests") {
      return json(res, 200, records.get(url.searchParams.get("path") ?? "") ?? []);
    }
    const script = scripts.get(url.pathname);
    const status = script ? (script.statuses.length ? script.statuses.shift()! : script.fallback) : 200;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const list = records.get(url.pathname) ?? [];
    if (!connections.has(req.socket)) connections.set(req.socket, ++connectionCount);
    const connection = connections.get(req.socket)!;
    list.push({ path: url.pathname, method: req.method ?? "", headers, body, status, at: Date.now(), connection });
    records.set(url.pathname, list);
    if (status === 0) {
      req.socket.destroy();
      return;
    }
    const extra: Record<string, string> =
      status === 429 && script?.retryAfter ? { "retry-after": script.retryAfter } : {};
    res.writeHead(status, { "content-type": "text/plain", ...extra });
    res.end(status < 300 ? "ok" : "nope");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("receiverUrl", `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
