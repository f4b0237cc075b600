import { describe, expect, it } from "vitest";
import { createApp } from "../../../edge/app";
import { admin, call, newAccount } from "../helpers";

/**
 * Paths the app serves that are pages or files, not API operations: they
 * are deliberately absent from the OpenAPI document.
 */
const NOT_API = new Set([
  "/",
  "/health",
  "/openapi.json",
  "/manifest.json",
  "/docs",
  "/docs/{file}",
  "/admin",
  "/admin/preview.html",
  "/demo",
]);

/** `/c/:cid/:stream?` → `/c/{cid}/{stream}` (OpenAPI's spelling); a trailing slash is the same route. */
const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)\??/g, "{$1}").replace(/(.)\/$/, "$1");

/** A path with sample values for its parameters. */
const fill = (path: string, sample: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => sample[name] ?? "x");

/** Whether the router answers the request itself (not its "no route" 404). */
async function routed(method: string, url: string, cid: string): Promise<boolean> {
  const res = await admin(`${url}${url.includes("?") ? "&" : "?"}cid=${cid}`, method.toUpperCase());
  const text = await res.text();
  return !(res.status === 404 && text.includes('"no route for'));
}

/**
 * Every method and path the app routes to a handler: the app's route
 * table, without wildcard file routes and without entries that are only
 * middleware (a request to them falls through to the router's 404).
 */
async function servedRoutes(sample: Record<string, string>): Promise<string[]> {
  const candidates = new Set<string>();
  for (const r of createApp().routes) {
    if (r.method === "ALL" || r.method === "OPTIONS" || r.path.includes("*")) continue;
    const path = openApiPath(r.path);
    if (!NOT_API.has(path)) candidates.add(`${r.method.toLowerCase()} ${path}`);
  }
  const served: string[] = [];
  for (const route of [...candidates].sort()) {
    const [method, path] = route.split(" ") as [string, string];
    if (await routed(method, fill(path, sample), sample.cid!)) served.push(route);
  }
  return served;
}

async function documented(): Promise<{ method: string; path: string }[]> {
  const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({ method, path: path.replace(/(.)\/$/, "$1") })),
  );
}

const sampleFor = (cid: string) => ({ cid, org: cid, table: "user", field: "_uid", value: "nobody" });

describe("the OpenAPI document and the routes agree", () => {
  it("documents every route the app serves", async () => {
    const docs = new Set((await documented()).map((d) => `${d.method} ${d.path}`));
    const served = await servedRoutes(sampleFor(await newAccount()));
    expect(served.length).toBeGreaterThan(50);
    const missing = served.filter((r) => !docs.has(r));
    expect(missing, "served but not in /openapi.json").toEqual([]);
  }, 120_000);

  it("no documented route answers the router's 404", async () => {
    const sample = sampleFor(await newAccount());
    const unrouted: string[] = [];
    for (const { method, path } of await documented())
      if (!(await routed(method, fill(path, sample), sample.cid))) unrouted.push(`${method} ${path}`);
    expect(unrouted, "documented but not routed").toEqual([]);
  }, 120_000);
});
