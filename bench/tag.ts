// Tag main-thread work on load, in Debian's Chromium: script time of a page
// with the tag minus the same page without it (CDP Performance metrics),
// median of many loads, same run. Budget (PRODUCT.md §8): <= 5 ms.
import { chromium } from "playwright-core";
import { median, seed, startServer } from "./harness";

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  const { url } = server;
  await seed(url, { cid: "demo", domains: ["127.0.0.1"], surfaced_fields: ["plan"] });
  const snippet =
    (await (await fetch(`${url}/tag/snippet.min.js`)).text()) +
    `\njstag.init({src:"${url}/api/tag/demo/latest.min.js"});`;
  // Both pages run a script of the site's own, so the one-time cost of starting
  // the page's JavaScript context is in the baseline, as on any real site.
  const site = `<script>window.site = { ready: Date.now() };</script>`;
  // The I/O any tag must do (insert its script, read the id cookie, write
  // storage, send two requests): what is left above it is the tag's own work.
  const floor = `<script>var s=document.createElement("script");s.src="${url}/tag/snippet.min.js";document.head.appendChild(s);document.cookie;document.cookie="_f=1";localStorage.setItem("_f","1");fetch("${url}/health",{method:"POST",body:"{}",keepalive:true});fetch("${url}/personalize?cid=demo&uid=x");</script>`;
  const page = (kind: "base" | "tag" | "floor") =>
    `<!doctype html><html><head><title>bench</title>${site}${kind === "tag" ? `<script>${snippet}</script>` : kind === "floor" ? floor : ""}</head><body><p>hello</p></body></html>`;

  async function measure(kind: "base" | "tag" | "floor"): Promise<{ script: number; task: number }> {
    const withTag = kind === "tag";
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.route(`${url}/bench-page`, (r) => r.fulfill({ contentType: "text/html", body: page(kind) }));
    const cdp = await context.newCDPSession(p);
    await cdp.send("Performance.enable");
    // No in-page polling: it would count as script time.
    const entity = kind !== "base" ? p.waitForResponse((r) => r.url().includes("/personalize?")) : null;
    await p.goto(`${url}/bench-page`);
    await entity;
    await p.waitForTimeout(150);
    const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
    const get = (n: string) => (metrics.find((m) => m.name === n)?.value ?? 0) * 1000;
    await context.close();
    return { script: get("ScriptDuration"), task: get("TaskDuration") };
  }

  await measure("tag"); // warm caches
  const base: { script: number; task: number }[] = [];
  const tag: { script: number; task: number }[] = [];
  const io: { script: number; task: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(await measure("base"));
    tag.push(await measure("tag"));
    io.push(await measure("floor"));
  }
  const script = median(tag.map((t) => t.script)) - median(base.map((b) => b.script));
  const task = median(tag.map((t) => t.task)) - median(base.map((b) => b.task));
  console.log(`tag: ${RUNS} loads each with and without the tag (snippet + latest.min.js, page view, entity load)`);
  console.log(
    `tag: main-thread script time added ${script.toFixed(2)} ms (median ${median(tag.map((t) => t.script)).toFixed(2)} vs ${median(base.map((b) => b.script)).toFixed(2)} ms), budget <= 5 ms`,
  );
  console.log(`tag: all main-thread task time added ${task.toFixed(2)} ms (parsing, layout, script)`);
  const floorTime = median(io.map((t) => t.script)) - median(base.map((b) => b.script));
  console.log(
    `tag: the unavoidable I/O of any tag (script insert, cookie read and write, storage write, two requests) costs ${floorTime.toFixed(2)} ms here; the tag's own work above it: ${(script - floorTime).toFixed(2)} ms (ratio tag/floor ${(script / floorTime).toFixed(2)})`,
  );
} finally {
  await browser.close();
  await server.stop();
}
