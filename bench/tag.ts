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
// prints where its own time goes.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";
import { median, seed, startServer } from "./harness";
import { buildTagAt } from "./lib/tag-before";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PROFILE = Number(process.env.BENCH_PROFILE ?? 0);
const ALL = ["base", "floor", "ours", "lazy", "before", "prior", "last", "segment", "plausible"] as const;
type Variant = (typeof ALL)[number];
const only = process.env.BENCH_ONLY?.split(",");
const variants = ALL.filter((v) => v === "base" || !only || only.includes(v));
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
const browser: Browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
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
  const page = (v: Variant, tagHead = heads[v]) =>
    `<!doctype html><html><head><title>bench</title>${site}${tagHead}</head><body><p>hello</p></body></html>`;
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

  async function measure(v: Variant, mode: Mode): Promise<Sample> {
    const { p, cdp, close } = await open(v);
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

  if (PROFILE) {
    await profile(PROFILE);
  } else {
    // Warm the worker and the browser's caches once per variant.
    for (const v of variants) await measure(v, "cpu");
    leaked = [];
    const samples = new Map<string, Sample[]>();
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, with the order rotated each round so no variant always follows another.
      const order = variants.map((_, k) => variants[(k + i) % variants.length]!);
      for (const v of order)
        for (const mode of ["cpu", "wall"] as const) {
          const key = `${v}:${mode}`;
          samples.set(key, [...(samples.get(key) ?? []), await measure(v, mode)]);
        }
    }
    report(samples);
  }

  function report(samples: Map<string, Sample[]>) {
    const med = (v: Variant, mode: Mode, f: keyof Sample) => median(samples.get(`${v}:${mode}`)!.map((s) => s[f]));
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
    console.log(
      leaked.length
        ? `tag: ${leaked.length} request(s) to other hosts were blocked: ${[...new Set(leaked)].slice(0, 5).join(", ")}`
        : "tag: no request left the machine (every non-127.0.0.1 request is aborted)",
    );
  }

  /** CPU profile of our unminified tag: self time per function, summed over `n` loads. */
  async function profile(n: number) {
    const self = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < n; i++) {
      const { p, cdp, close } = await open(
        "ours",
        page("ours", ourSnippet(snippetNow, `${url}/api/tag/demo/latest.js`)),
      );
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
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
      profile.samples.forEach((id: number, k: number) => {
        const node = byId.get(id);
        const frame = node.callFrame;
        const where = frame.url.includes("/api/tag/")
          ? `tag ${frame.functionName || "(anonymous)"}:${frame.lineNumber + 1}`
          : frame.url
            ? `other ${frame.url.split("/").pop()} ${frame.functionName}`
            : frame.functionName || "(native)";
        if (where === "(idle)" || where === "(program)") return;
        const ms = (dt[k + 1] ?? 0) / 1000;
        self.set(where, (self.get(where) ?? 0) + ms);
        total += ms;
      });
      await close();
    }
    console.log(`tag profile: ${n} loads of latest.js, self time per function (ms per load), top 25`);
    for (const [where, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${(ms / n).toFixed(3).padStart(8)}  ${where}`);
    console.log(`${(total / n).toFixed(3).padStart(8)}  total sampled (idle and program excluded)`);
  }
} finally {
  await browser.close();
  await server.stop();
}
