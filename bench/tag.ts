// Tag main-thread work on load, against peer tags, in one run of Debian's
// Chromium (budget, PRODUCT.md §8: <= 5 ms and below a peer measured in the
// same run). Variants, interleaved, each in a fresh browser context:
//   base       the page without any tag (a script of the site's own only)
//   floor      the I/O any tag does (insert a script, read and write a cookie,
//              write storage, send two requests), without any logic
//   ours       our snippet + latest.min.js served by the worker
//   before     the same, built from an earlier commit (bench/lib/tag-before.ts,
//              default 93ded44: before any main-thread work was cut)
//   prior      the same, built from a later commit (BENCH_TAG_PRIOR, default
//              e54d76c: the tag before the compile hint and its own cookies)
//   last       the same, built from BENCH_TAG_LAST (default fa260e3: the tag
//              before the load-path cuts of the tag-cpu branch: no regular
//              expressions, one walk for the page's meta tags)
//   lazy       ours without V8's `//# allFunctionsCalledOnLoad` compile hint
//              (is the hint still a win?)
//   segment    Segment's analytics-next (npm package, UMD build), inline settings
//   plausible  Plausible's tracker (npm package, ESM)
// Each variant sends one page view to the local worker; ours also loads the
// entity (the peers have no browser-side profile to load): now in the same
// request as the page view, earlier builds with a second one (/personalize). Main-thread time
// comes from Chromium's Performance.getMetrics (ScriptDuration, TaskDuration)
// measured twice per variant and round: once as thread CPU time
// (timeDomain threadTicks) and once as wall time (timeTicks). Figures are
// medians of the loads minus the median of the base page. Nothing leaves the
// machine: every request not to 127.0.0.1 is aborted and counted.
//
// The measured window: from navigation until the variant's last awaited
// response (its page view delivered; ours: with the entity) plus 200 ms for
// the response handlers. Work a tag defers to an idle callback is counted
// when it runs before that (ours builds its page view there: it must, for the
// page view to be sent). Ours schedules one thing after the window: the
// stored-outbox check 1 s after init (one localStorage read, nothing to send
// on these fresh pages).
//
// Two page flavours. Both run a script of the site's own in <head>. In the
// second ("DOM"), the site's script also builds part of the page (a nav of
// 3 links), so the page's first element creation is the site's, as on real
// sites, not the tag's. base, floor, ours and plausible are loaded in both
// (BENCH_DOM=0: only the first), each flavour against its own baseline page,
// and both "added" figures are printed side by side.
//
// "no-Network": the script-only pages of base, floor, ours and plausible are
// also loaded, interleaved in the same rounds, in a second Chromium driven
// over raw CDP (bench/lib/raw-chromium.ts) with only the Page and Performance
// domains on, from a local proxy in front of the worker that says when the
// awaited responses were sent (BENCH_RAW=0: not loaded). Traces show what the
// Network domain costs a script: V8.CollectSourcePositions (re-parsing each
// function on the stack of a request's initiator) under the call that
// starts the request, more for a request started deep in a tag's code than
// from a page's inline script. No visitor's browser runs with it; the
// Playwright table stays the headline, this one is printed beside it.
//
// Playwright keeps DevTools' Network domain on for every page, so Chromium
// records the JavaScript stack of each request a script starts (measured
// with trace thread time: ~0.4 ms more for a first fetch, ~0.3 ms more for a
// script insert than with no DevTools attached). Every variant runs under
// it; it weighs on requests started from script (the snippet's script
// insert and the tags' fetches, the floor's), not on one the HTML parser
// starts (Plausible's module import).
//
// BENCH_RUNS (default 20) sets loads per variant and time domain.
// BENCH_ONLY=ours,plausible limits the variants (base is always loaded).
// BENCH_PROFILE=N records a CPU profile of N loads of our unminified tag and
// prints where its own time goes. BENCH_TRACE=N traces N loads of each variant
// and prints the main thread's self thread time per trace event, side by side.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";
import { median, seed, startServer } from "./harness";
import { buildTagAt } from "./lib/tag-before";
import { launchRaw } from "./lib/raw-chromium";
import { createServer } from "node:http";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PROFILE = Number(process.env.BENCH_PROFILE ?? 0);
const TRACE = Number(process.env.BENCH_TRACE ?? 0);
const WHO = process.env.BENCH_TRACE_WHO;
const ALL = ["base", "floor", "ours", "lazy", "before", "prior", "last", "segment", "plausible"] as const;
type Variant = (typeof ALL)[number];
const only = process.env.BENCH_ONLY?.split(",");
const variants = ALL.filter((v) => v === "base" || !only || only.includes(v));
// Variants also loaded in a Chromium without DevTools' Network domain (BENCH_RAW=0: none).
const rawVariants =
  process.env.BENCH_RAW === "0"
    ? []
    : (["base", "floor", "ours", "plausible"] as const).filter((v) => variants.includes(v));
// Variants also loaded on the page whose site script builds part of the page (BENCH_DOM=0: none).
const domVariants =
  process.env.BENCH_DOM === "0"
    ? []
    : (["base", "floor", "ours", "plausible"] as const).filter((v) => variants.includes(v));
type Mode = "cpu" | "wall";
interface Sample {
  script: number;
  task: number;
  longTasks: number;
  bytes: number;
  requests: number;
}

// Run from the repository root by scripts/bench.mjs.
const fixture = (path: string) => readFileSync(`bench/fixtures/${path}`, "utf8");

const server = await startServer();
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const browser: Browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
const raw = rawVariants.length ? await launchRaw(chromiumPath, chromiumArgs) : undefined;
// The raw loads' origin (another port of 127.0.0.1): it serves the bench page and the files, passes every other
// request to the worker, and tells when an awaited response has been sent.
let rawHtml = "";
let rawSeen: string[] = [];
let onRawSeen = () => {};
let rawFiles: Record<string, { type: string; body: string }> = {};
const proxy = createServer(async (req, res) => {
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
  const file = path === "/bench-page" ? { type: "text/html", body: rawHtml } : rawFiles[path];
  if (file) {
    res.writeHead(200, { "content-type": file.type });
    res.end(file.body);
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined && !["host", "connection", "content-length"].includes(k))
      headers[k] = Array.isArray(v) ? v.join(", ") : v;
  try {
    const r = await fetch(`${server.url}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      redirect: "manual",
    });
    const body = Buffer.from(await r.arrayBuffer());
    const out: Record<string, string | string[]> = {};
    r.headers.forEach((v, k) => {
      if (!["content-encoding", "content-length", "transfer-encoding", "connection", "set-cookie"].includes(k))
        out[k] = v;
    });
    const cookies = r.headers.getSetCookie();
    if (cookies.length) out["set-cookie"] = cookies;
    res.writeHead(r.status, out);
    res.end(body, () => {
      rawSeen.push(req.url ?? "");
      onRawSeen();
    });
  } catch {
    res.writeHead(502);
    res.end();
  }
});
await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
const proxyPort = (proxy.address() as { port: number }).port;
try {
  const { url } = server;
  const port = new URL(url).port;
  await seed(url, { cid: "demo", domains: ["127.0.0.1"], public_personalization: true, surfaced_fields: ["plan"] });
  const snippetNow = await (await fetch(`${url}/tag/snippet.min.js`)).text();
  const served = await (await fetch(`${url}/api/tag/demo/latest.min.js`)).text();
  // The account's defaults the worker prepends (`var __plDefaults=…;`), reused for the old build.
  const defaults = /^var __plDefaults=.*\n/m.exec(served)![0];
  const before = await buildTagAt();
  const prior = await buildTagAt(process.env.BENCH_TAG_PRIOR ?? "e54d76c");
  const last = await buildTagAt(process.env.BENCH_TAG_LAST ?? "fa260e3");

  // Files answered by the browser itself (page.route), on the worker's origin.
  const files: Record<string, { type: string; body: string }> = {
    "/bench/lazy/latest.min.js": {
      type: "text/javascript",
      body: served.replace(/^\/\/# allFunctionsCalledOnLoad\n/, ""),
    },
    "/bench/before/latest.min.js": { type: "text/javascript", body: defaults + before.tag },
    "/bench/prior/latest.min.js": { type: "text/javascript", body: defaults + prior.tag },
    "/bench/last/latest.min.js": { type: "text/javascript", body: defaults + last.tag },
    "/bench/segment/analytics-next.umd.js": {
      type: "text/javascript",
      body: fixture("segment/analytics-next.umd.js"),
    },
    "/bench/plausible/plausible.js": { type: "text/javascript", body: fixture("plausible/plausible.js") },
  };

  // Both pages run a script of the site's own, so the one-time cost of starting
  // the page's JavaScript context is in the baseline, as on any real site.
  const site = `<script>window.site = { ready: Date.now() };</script>`;
  const ourSnippet = (snippet: string, src: string) => `<script>${snippet}\njstag.init({src:"${src}"});</script>`;
  const heads: Record<Variant, string> = {
    base: "",
    floor: `<script>var s=document.createElement("script");s.src="${url}/tag/snippet.min.js";document.head.appendChild(s);document.cookie;document.cookie="_f=1";localStorage.setItem("_f","1");fetch("${url}/health",{method:"POST",body:"{}",keepalive:true});fetch("${url}/personalize?cid=demo&uid=x");</script>`,
    ours: ourSnippet(snippetNow, `${url}/api/tag/demo/latest.min.js`),
    lazy: ourSnippet(snippetNow, `${url}/bench/lazy/latest.min.js`),
    before: ourSnippet(before.snippet, `${url}/bench/before/latest.min.js`),
    prior: ourSnippet(prior.snippet, `${url}/bench/prior/latest.min.js`),
    last: ourSnippet(last.snippet, `${url}/bench/last/latest.min.js`),
    // Segment's browser build with its settings inline (no CDN settings request);
    // its Segment.io destination posts the page call to the worker's collect route.
    segment: `<script>window.analytics={_cdn:"${url}/bench/segment"};var s=document.createElement("script");s.async=true;s.src="${url}/bench/segment/analytics-next.umd.js";s.onload=function(){window.analytics=AnalyticsNext.AnalyticsBrowser.load({writeKey:"bench",cdnURL:"${url}/bench/segment",cdnSettings:{integrations:{"Segment.io":{apiKey:"bench",apiHost:"127.0.0.1:${port}/c/demo",protocol:"http"}}}});window.analytics.page();};document.head.appendChild(s);</script>`,
    // Plausible's npm tracker as documented: init() sends the page view.
    plausible: `<script type="module">import { init } from "${url}/bench/plausible/plausible.js";init({domain:"127.0.0.1",endpoint:"${url}/c/demo/default",captureOnLocalhost:true,logging:false});</script>`,
  };
  // The second flavour of every page: the site's script also builds part of the page, as any real page's does
  // (the page's first element creation, ~0.5 ms, is then the site's, not the first tag's to create one).
  const siteDom = `<script>var n=document.createElement("nav");n.className="site-nav";for(var i=0;i<3;i++){var a=document.createElement("a");a.href="#s"+i;a.textContent="Section "+i;n.appendChild(a)}document.body.appendChild(n);</script>`;
  const page = (v: Variant, tagHead = heads[v], dom = false) =>
    `<!doctype html><html><head><title>bench</title>${site}${tagHead}</head><body><p>hello</p>${dom ? siteDom : ""}</body></html>`;
  const oneRequest = (tag: string) =>
    tag.includes("_entity=1") ? [/\/c\/demo\/default\?_entity=1$/] : [/\/c\/demo\/default$/, /\/personalize\?/];
  // What each variant's load is over at: its page view delivered (and our entity loaded).
  const waitsFor: Record<Variant, RegExp[]> = {
    base: [],
    floor: [/\/health$/, /\/personalize\?/],
    // Ours sends the page view and asks for the entity in one request (collect's `?_entity=1`).
    ours: [/\/c\/demo\/default\?_entity=1$/],
    lazy: [/\/c\/demo\/default\?_entity=1$/],
    // Builds from e9bde2e on ask collect for the entity too (one request); older ones call /personalize.
    before: oneRequest(before.tag),
    prior: oneRequest(prior.tag),
    last: oneRequest(last.tag),
    segment: [/\/c\/demo\/p$/],
    plausible: [/\/c\/demo\/default$/],
  };

  const gzSizes = new Map<string, number>();
  const gzipped = (body: string) => {
    if (!gzSizes.has(body)) gzSizes.set(body, gzipSync(body, { level: 9 }).length);
    return gzSizes.get(body)!;
  };
  let leaked: string[] = [];
  async function open(v: Variant, html = page(v)): Promise<{ p: Page; cdp: CDPSession; close: () => Promise<void> }> {
    const context = await browser.newContext();
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.hostname !== "127.0.0.1") {
        leaked.push(u.href);
        return route.abort("blockedbyclient");
      }
      if (u.pathname === "/bench-page") return route.fulfill({ contentType: "text/html", body: html });
      const file = files[u.pathname];
      if (file) return route.fulfill({ contentType: file.type, body: file.body });
      return route.continue();
    });
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    return { p, cdp, close: () => context.close() };
  }

  async function measure(v: Variant, mode: Mode, dom = false): Promise<Sample> {
    const { p, cdp, close } = await open(v, page(v, heads[v], dom));
    await cdp.send("Performance.enable", { timeDomain: mode === "cpu" ? "threadTicks" : "timeTicks" });
    await cdp.send("Network.enable");
    let requests = 0;
    let bytes = 0;
    cdp.on("Network.requestWillBeSent", (e: any) => {
      if (!/\/(bench-page|favicon\.ico)$/.test(e.request.url)) requests++;
    });
    // Files the browser answers itself arrive uncompressed: count them at their gzip size, as a server would send them.
    const urls = new Map<string, string>();
    cdp.on("Network.responseReceived", (e: any) => urls.set(e.requestId, new URL(e.response.url).pathname));
    cdp.on("Network.loadingFinished", (e: any) => {
      const path = urls.get(e.requestId);
      if (path === "/bench-page" || path === "/favicon.ico") return;
      if (process.env.BENCH_DEBUG) console.log(v, path, e.encodedDataLength);
      bytes += path && files[path] ? gzipped(files[path]!.body) : e.encodedDataLength;
    });
    const done = Promise.all(waitsFor[v].map((re) => p.waitForResponse((r) => re.test(r.url()), { timeout: 15_000 })));
    await p.goto(`${url}/bench-page`);
    await done;
    // Let the responses' handlers run; no in-page polling, it would count as script time.
    await p.waitForTimeout(200);
    const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
    const get = (n: string) => (metrics.find((m) => m.name === n)?.value ?? 0) * 1000;
    // Long tasks are buffered by the browser: read them after the metrics.
    const longTasks = await p.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => resolve(list.getEntries().length)).observe({
            type: "longtask",
            buffered: true,
          });
          setTimeout(() => resolve(0), 50);
        }),
    );
    await close();
    return { script: get("ScriptDuration"), task: get("TaskDuration"), longTasks, bytes, requests };
  }

  // The raw loads' pages and files: the same, on the proxy's origin.
  const toProxy = (text: string) => text.split(`127.0.0.1:${port}`).join(`127.0.0.1:${proxyPort}`);
  rawFiles = Object.fromEntries(
    Object.entries(files).map(([path, f]) => [path, { type: f.type, body: toProxy(f.body) }]),
  );
  rawFiles["/api/tag/demo/latest.min.js"] = { type: "text/javascript", body: toProxy(served) };

  /** One load in the Chromium without DevTools' Network domain: script and task time only. */
  async function measureRaw(v: Variant, mode: Mode): Promise<Sample> {
    rawHtml = toProxy(page(v));
    rawSeen = [];
    const pg = await raw!.page();
    await pg.send("Page.enable");
    await pg.send("Performance.enable", { timeDomain: mode === "cpu" ? "threadTicks" : "timeTicks" });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = new Promise<void>((resolve, reject) => {
      onRawSeen = () => {
        if (waitsFor[v].every((re) => rawSeen.some((u) => re.test(u)))) resolve();
      };
      onRawSeen();
      timer = setTimeout(() => reject(new Error(`tag raw ${v}: awaited responses not seen in 15 s`)), 15_000);
    });
    const loaded = pg.next("Page.loadEventFired");
    await pg.send("Page.navigate", { url: `http://127.0.0.1:${proxyPort}/bench-page` });
    await Promise.all([loaded, done]);
    clearTimeout(timer);
    await new Promise((r) => setTimeout(r, 200));
    const { metrics } = (await pg.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
    await pg.close();
    const get = (n: string) => (metrics.find((m) => m.name === n)?.value ?? 0) * 1000;
    return { script: get("ScriptDuration"), task: get("TaskDuration"), longTasks: 0, bytes: 0, requests: 0 };
  }

  if (PROFILE) {
    await profile(PROFILE);
  } else if (TRACE) {
    await trace(TRACE);
  } else {
    // Warm the worker and the browser's caches once per variant.
    for (const v of variants) await measure(v, "cpu");
    for (const v of domVariants) await measure(v, "cpu", true);
    for (const v of rawVariants) await measureRaw(v, "cpu");
    leaked = [];
    const samples = new Map<string, Sample[]>();
    // Each variant's page, the DOM flavour of the variants that have one (keys `v` and `v@dom`), and the loads
    // without DevTools' Network domain (`v@raw`).
    type Flavour = "" | "@dom" | "@raw";
    const loads: [Variant, Flavour][] = [
      ...variants.map((v): [Variant, Flavour] => [v, ""]),
      ...domVariants.map((v): [Variant, Flavour] => [v, "@dom"]),
      ...rawVariants.map((v): [Variant, Flavour] => [v, "@raw"]),
    ];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, with the order rotated each round so no variant always follows another.
      const order = loads.map((_, k) => loads[(k + i) % loads.length]!);
      for (const [v, flavour] of order)
        for (const mode of ["cpu", "wall"] as const) {
          const key = `${v}${flavour}:${mode}`;
          const sample = flavour === "@raw" ? await measureRaw(v, mode) : await measure(v, mode, flavour === "@dom");
          samples.set(key, [...(samples.get(key) ?? []), sample]);
        }
    }
    report(samples);
  }

  function report(samples: Map<string, Sample[]>) {
    const med = (v: Variant | `${Variant}@${"dom" | "raw"}`, mode: Mode, f: keyof Sample) =>
      median(samples.get(`${v}:${mode}`)!.map((s) => s[f]));
    const added = (v: Variant, mode: Mode, f: "script" | "task") => med(v, mode, f) - med("base", mode, f);
    const gz = gzipped;
    const scriptSize: Record<Variant, number> = {
      base: 0,
      floor: 0,
      ours: gz(served),
      lazy: gz(files["/bench/lazy/latest.min.js"]!.body),
      before: gz(files["/bench/before/latest.min.js"]!.body),
      prior: gz(files["/bench/prior/latest.min.js"]!.body),
      last: gz(files["/bench/last/latest.min.js"]!.body),
      segment: gz(files["/bench/segment/analytics-next.umd.js"]!.body),
      plausible: gz(files["/bench/plausible/plausible.js"]!.body),
    };
    const names: Record<Variant, string> = {
      base: "no tag (baseline)",
      floor: "I/O floor",
      ours: "Pathlight tag (now)",
      lazy: "Pathlight tag, no compile hint",
      before: `Pathlight tag (${before.commit})`,
      prior: `Pathlight tag (${prior.commit})`,
      last: `Pathlight tag (${last.commit})`,
      segment: "Segment analytics-next 1.84.3",
      plausible: "Plausible tracker 0.4.6",
    };
    const f = (n: number) => n.toFixed(2).padStart(8);
    console.log(
      `tag: ${RUNS} loads per variant and time domain, interleaved, fresh context each; medians; "added" = minus the baseline page`,
    );
    console.log(
      `tag: baseline page medians: script ${med("base", "cpu", "script").toFixed(2)} ms CPU / ${med("base", "wall", "script").toFixed(2)} ms wall, tasks ${med("base", "cpu", "task").toFixed(2)} ms CPU / ${med("base", "wall", "task").toFixed(2)} ms wall`,
    );
    console.log("");
    console.log(
      `${"variant".padEnd(32)}${"script CPU".padStart(11)}${"script wall".padStart(12)}${"tasks CPU".padStart(11)}${"tasks wall".padStart(11)}${"long".padStart(6)}${"requests".padStart(9)}${"bytes".padStart(9)}${"gzip".padStart(8)}`,
    );
    console.log(
      `${"".padEnd(32)}${"added ms".padStart(11)}${"added ms".padStart(12)}${"added ms".padStart(11)}${"added ms".padStart(11)}${"tasks".padStart(6)}${"".padStart(9)}${"wire".padStart(9)}${"script".padStart(8)}`,
    );
    for (const v of variants) {
      if (v === "base") continue;
      const lt = samples.get(`${v}:wall`)!.reduce((n, s) => n + s.longTasks, 0) / RUNS;
      console.log(
        `${names[v].padEnd(32)}  ${f(added(v, "cpu", "script"))}    ${f(added(v, "wall", "script"))}  ${f(added(v, "cpu", "task"))}  ${f(added(v, "wall", "task"))}${lt.toFixed(1).padStart(6)}${String(med(v, "cpu", "requests")).padStart(9)}${String(Math.round(med(v, "cpu", "bytes"))).padStart(9)}${String(scriptSize[v] || "-").padStart(8)}`,
      );
    }
    console.log(
      "(long tasks: mean per load, wall; requests and bytes on the wire: everything after the HTML document, medians, scripts at their gzip size)",
    );
    const ratio = (a: Variant, b: Variant, mode: Mode, fld: "script" | "task") =>
      (added(a, mode, fld) / added(b, mode, fld)).toFixed(2);
    console.log("");
    for (const peer of ["segment", "plausible", "before", "prior", "last", "lazy"] as const) {
      if (!variants.includes(peer) || !variants.includes("ours")) continue;
      console.log(
        `tag: ratio ours/${peer}: script CPU ${ratio("ours", peer, "cpu", "script")}, script wall ${ratio("ours", peer, "wall", "script")}, tasks CPU ${ratio("ours", peer, "cpu", "task")}, tasks wall ${ratio("ours", peer, "wall", "task")}`,
      );
    }
    if (
      variants.includes("ours") &&
      variants.includes("floor") &&
      (["before", "prior", "last"] as const).some((v) => variants.includes(v))
    ) {
      const cols = (["before", "prior", "last", "ours"] as const).filter((v) => variants.includes(v));
      const built = { before, prior, last };
      const heads = cols.map((v) => (v === "ours" ? "now" : built[v].commit));
      console.log("");
      console.log(`tag: before/after (${heads.join(" → ")}), added over the baseline page, ms`);
      console.log(`${"".padEnd(38)}${heads.map((h) => h.padStart(9)).join("")}`);
      for (const [label, mode, fld] of [
        ["script CPU", "cpu", "script"],
        ["script wall", "wall", "script"],
        ["tasks CPU", "cpu", "task"],
        ["tasks wall", "wall", "task"],
      ] as const) {
        console.log(`${label.padEnd(38)}${cols.map((v) => f(added(v, mode, fld)).padStart(9)).join("")}`);
        const floor = added("floor", mode, fld);
        console.log(
          `${`  ${label}: own work above the floor`.padEnd(38)}${cols.map((v) => f(added(v, mode, fld) - floor).padStart(9)).join("")}`,
        );
      }
      const ours = added("ours", "cpu", "script");
      console.log(
        `tag: budget (PRODUCT.md §8): script time added <= 5 ms (aim <= 3 ms CPU): ${ours.toFixed(2)} ms CPU${variants.includes("plausible") ? `; below Plausible in this run: ${ours < added("plausible", "cpu", "script") ? "yes" : "no"}` : ""}`,
      );
    }
    const beside = (flavour: "@dom" | "@raw", list: readonly Variant[], left: string, label: string, title: string) => {
      // The same table on another flavour, beside the first: each against its own baseline page.
      const addedDom = (v: Variant, mode: Mode, fld: "script" | "task") =>
        med(`${v}${flavour}`, mode, fld) - med(`base${flavour}`, mode, fld);
      const bm = (mode: Mode, fld: "script" | "task") => med(`base${flavour}`, mode, fld).toFixed(2);
      console.log("");
      console.log(title);
      console.log(
        `tag: baseline page (${label}) medians: script ${bm("cpu", "script")} ms CPU / ${bm("wall", "script")} ms wall, tasks ${bm("cpu", "task")} ms CPU / ${bm("wall", "task")} ms wall`,
      );
      const measures = [
        ["script CPU", "cpu", "script"],
        ["script wall", "wall", "script"],
        ["tasks CPU", "cpu", "task"],
        ["tasks wall", "wall", "task"],
      ] as const;
      console.log(`${"added ms".padEnd(32)}${measures.map(([l]) => l.padStart(24)).join("")}`);
      console.log(`${"".padEnd(32)}${measures.map(() => `${left.padStart(12)}${label.padStart(12)}`).join("")}`);
      const rows = list.filter((v) => v !== "base");
      for (const v of rows)
        console.log(
          `${names[v].padEnd(32)}${measures.map(([, mode, fld]) => `${f(added(v, mode, fld)).padStart(12)}${f(addedDom(v, mode, fld)).padStart(12)}`).join("")}`,
        );
      if (rows.includes("ours") && rows.includes("floor"))
        console.log(
          `${"  ours: own work above the floor".padEnd(32)}${measures.map(([, mode, fld]) => `${f(added("ours", mode, fld) - added("floor", mode, fld)).padStart(12)}${f(addedDom("ours", mode, fld) - addedDom("floor", mode, fld)).padStart(12)}`).join("")}`,
        );
      if (rows.includes("ours") && rows.includes("plausible"))
        console.log(
          `${"  ratio ours/plausible".padEnd(32)}${measures.map(([, mode, fld]) => `${(added("ours", mode, fld) / added("plausible", mode, fld)).toFixed(2).padStart(12)}${(addedDom("ours", mode, fld) / addedDom("plausible", mode, fld)).toFixed(2).padStart(12)}`).join("")}`,
        );
    };
    if (domVariants.length > 1)
      beside(
        "@dom",
        domVariants,
        "script-only",
        "DOM",
        `tag: second baseline: the site's script also builds part of the page (creates a nav with 3 links and inserts it), on the pages of ${domVariants.filter((v) => v !== "base").join(", ")}; "added" = minus that flavour's own baseline page; "script-only" = the table above`,
      );
    if (rawVariants.length > 1)
      beside(
        "@raw",
        rawVariants,
        "Playwright",
        "no-Network",
        `tag: the script-only pages of ${rawVariants.filter((v) => v !== "base").join(", ")} also loaded in a second Chromium driven over raw CDP with only the Page and Performance domains on ("no-Network"), beside the table above (Playwright, DevTools' Network domain on: Chromium records the JS stack of each request a script starts, and V8 re-parses every function on it for source positions). Same run, same pages, served by a local proxy to the worker; a visitor's browser has no DevTools attached`,
      );
    console.log(
      leaked.length
        ? `tag: ${leaked.length} request(s) to other hosts were blocked: ${[...new Set(leaked)].slice(0, 5).join(", ")}`
        : "tag: no request left the machine (every non-127.0.0.1 request is aborted)",
    );
  }

  /**
   * Chromium traces of `n` loads of each variant: the page's renderer main thread, self thread time (CPU) per trace
   * event (scripts named by file, functions by name), mean ms per load. The same loads as the main run, but traced:
   * tracing adds its own overhead, so read the differences between variants, not the absolute figures.
   */
  async function trace(n: number) {
    const categories = [
      "devtools.timeline",
      "disabled-by-default-devtools.timeline",
      "v8",
      "v8.execute",
      "disabled-by-default-v8.compile",
      "blink",
      "loading",
      "toplevel",
    ];
    const sums = new Map<string, Map<Variant, number>>();
    const totals = new Map<Variant, number>();
    const file = (u: unknown) => (typeof u === "string" && u ? (u.split("/").pop() ?? u) : "");
    for (let i = 0; i < n; i++)
      for (const v of variants) {
        const { p, close } = await open(v);
        await browser.startTracing(p, { categories });
        const done = Promise.all(
          waitsFor[v].map((re) => p.waitForResponse((r) => re.test(r.url()), { timeout: 15_000 })),
        );
        await p.goto(`${url}/bench-page`);
        await done;
        await p.waitForTimeout(200);
        const events: any[] = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
        await close();
        // The renderer main thread that parsed the bench page.
        const mains = new Set(
          events
            .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
            .map((e) => `${e.pid}:${e.tid}`),
        );
        const main = events.find(
          (e) =>
            e.name === "ParseHTML" && mains.has(`${e.pid}:${e.tid}`) && /bench-page/.test(e.args?.beginData?.url ?? ""),
        );
        if (!main) throw new Error(`trace ${v}: no main thread found`);
        const mine = events
          .filter((e) => e.ph === "X" && e.pid === main.pid && e.tid === main.tid && typeof e.tdur === "number")
          .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
        const stack: { end: number; self: number; key: string }[] = [];
        const selfs: { self: number; key: string }[] = [];
        for (const e of mine) {
          while (stack.length && stack[stack.length - 1]!.end <= e.ts) stack.pop();
          const d = e.args?.data ?? {};
          const key =
            e.name === "FunctionCall"
              ? `FunctionCall ${d.functionName || "(anonymous)"} ${file(d.url)}`
              : e.name === "EvaluateScript" || e.name.startsWith("v8.compile") || e.name === "v8.run"
                ? `${e.name} ${file(d.url ?? e.args?.fileName)}`
                : e.name;
          const top = stack[stack.length - 1];
          if (top) top.self -= e.tdur / 1000;
          const node = {
            end: e.ts + e.dur,
            self: e.tdur / 1000,
            key: WHO && top && key.includes(WHO) ? `${top.key} > ${key}` : key,
          };
          stack.push(node);
          selfs.push(node);
        }
        for (const { self, key } of selfs) {
          const m = sums.get(key) ?? new Map<Variant, number>();
          m.set(v, (m.get(v) ?? 0) + self / n);
          sums.set(key, m);
          totals.set(v, (totals.get(v) ?? 0) + self / n);
        }
      }
    const cols = variants;
    console.log(
      `tag trace: ${n} traced loads per variant; renderer main thread, self thread time per trace event, mean ms per load (tracing inflates every figure: compare columns)`,
    );
    console.log(`${"event".padEnd(52)}${cols.map((c) => c.padStart(10)).join("")}`);
    const rows = [...sums].sort((a, b) => Math.max(...b[1].values()) - Math.max(...a[1].values()));
    for (const [key, m] of rows.slice(0, Number(process.env.BENCH_TRACE_ROWS ?? 45)))
      console.log(`${key.slice(0, 51).padEnd(52)}${cols.map((c) => (m.get(c) ?? 0).toFixed(3).padStart(10)).join("")}`);
    console.log(`${"total".padEnd(52)}${cols.map((c) => (totals.get(c) ?? 0).toFixed(3).padStart(10)).join("")}`);
  }

  /** CPU profile of our unminified tag: self time per function, summed over `n` loads. */
  async function profile(n: number) {
    const self = new Map<string, number>();
    const inclusive = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < n; i++) {
      const { p, cdp, close } = await open(
        "ours",
        page("ours", ourSnippet(snippetNow, `${url}/api/tag/demo/latest.js`)),
      );
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: Number(process.env.BENCH_PROFILE_US ?? 50) });
      await cdp.send("Profiler.start");
      const done = Promise.all(
        waitsFor.ours.map((re) => p.waitForResponse((r) => re.test(r.url()), { timeout: 15_000 })),
      );
      await p.goto(`${url}/bench-page`);
      await done;
      await p.waitForTimeout(200);
      const { profile } = (await cdp.send("Profiler.stop")) as any;
      const byId = new Map<number, any>(profile.nodes.map((node: any) => [node.id, node]));
      const dt: number[] = profile.timeDeltas;
      const parent = new Map<number, number>();
      for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
      const name = (node: any) => {
        const frame = node.callFrame;
        return frame.url.includes("/api/tag/")
          ? `tag ${frame.functionName || "(anonymous)"}:${frame.lineNumber + 1}`
          : frame.url
            ? `other ${frame.url.split("/").pop()} ${frame.functionName}`
            : frame.functionName || "(native)";
      };
      profile.samples.forEach((id: number, k: number) => {
        const where = name(byId.get(id));
        if (where === "(idle)" || where === "(program)") return;
        const ms = (dt[k + 1] ?? 0) / 1000;
        self.set(where, (self.get(where) ?? 0) + ms);
        total += ms;
        // Inclusive: every tag function on the sample's stack, once.
        const seen = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          const w = name(byId.get(at));
          if (w.startsWith("tag ")) seen.add(w);
        }
        for (const w of seen) inclusive.set(w, (inclusive.get(w) ?? 0) + ms);
      });
      await close();
    }
    console.log(`tag profile: ${n} loads of latest.js, self time per function (ms per load), top 25`);
    for (const [where, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${(ms / n).toFixed(3).padStart(8)}  ${where}`);
    console.log(`${(total / n).toFixed(3).padStart(8)}  total sampled (idle and program excluded)`);
    console.log(`tag profile: inclusive time of the tag's functions (ms per load), top 25`);
    for (const [where, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${(ms / n).toFixed(3).padStart(8)}  ${where}`);
  }
} finally {
  await browser.close().catch(() => {});
  await raw?.close().catch(() => {});
  proxy.close();
  await server.stop();
}
