/**
 * SegmentQL at scale, the write side (§8): the time to add one audience to an
 * account that already has 100, 1,000 and 10,000, through the public API
 * (`POST /v2/segment`: validation, the account object's upsert, the size
 * lookup) on workerd directly (Miniflare, the bundle `wrangler deploy`
 * builds), and the time of the next event of a known person after each add
 * (its profile object brings its compiled audiences up to the new version).
 * Both should stay flat as the count grows. Figures only.
 *
 * Run: npm run bench -- segmentql
 */
import { ADMIN_TOKEN, median, percentile, seed } from "./harness";
import { startWorkerd } from "./lib/workerd";

const CID = "adds";
const STEPS = [100, 1_000, 10_000];
const PROBES = 15;
const CONCURRENCY = 6;

const TOPICS = ["pricing", "security", "ai", "analytics", "mobile", "cloud"];
const COUNTRIES = ["US", "CA", "GB", "FR", "DE", "ES", "IT", "BR", "JP"];

/** A realistic audience (SegmentQL text); every tenth INCLUDEs an earlier one. */
function audienceText(k: number): string {
  const body = [
    `AND ( visitct > ${1 + (k % 20)}, last_visit > "now-${1 + (k % 30)}d" )`,
    `AND ( country IN ("${COUNTRIES[k % 9]}", "${COUNTRIES[(k + 3) % 9]}"), score_momentum >= ${k % 100} )`,
    `OR ( email LIKE "*@d${k % 50}.com", plan = "pro" )`,
    `AND ( content_topics.${TOPICS[k % 6]} >= 0.${1 + (k % 8)}, EXISTS email )`,
    `AND ( ltv BETWEEN ${k % 500} AND ${600 + (k % 5000)}, orders >= ${1 + (k % 5)} )`,
  ][k % 5] as string;
  const include = k % 10 === 9 && k > 10 ? `, INCLUDE aud_${k - 7}` : "";
  return `FILTER AND ( ${body}${include} ) FROM user ALIAS aud_${k}`;
}

const w = await startWorkerd(
  [{ name: "app", config: "wrangler.toml", vars: { ADMIN_TOKEN, PATHLIGHT_ENV: "development" } }],
  { inMemory: true },
);
const url = w.urls.app as string;

async function call(path: string, method: string, body: unknown): Promise<number> {
  const t0 = performance.now();
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}${path}${path.includes("?") ? "&" : "?"}cid=${CID}`, {
      method,
      headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch((e: Error) => e);
    if (res instanceof Response && res.ok) {
      await res.arrayBuffer();
      return performance.now() - t0;
    }
    const why = res instanceof Response ? `${res.status} ${await res.text()}` : res.message;
    if (attempt >= 4) throw new Error(`${method} ${path}: ${why}`);
    await new Promise((r) => setTimeout(r, 300 * attempt));
  }
}

const addAudience = (k: number): Promise<number> => call("/v2/segment", "POST", { segment_ql: audienceText(k) });
const event = (k: number): Promise<number> =>
  call("/collect/json/default", "POST", [{ email: "known@d1.com", visitct: 5 + k, country: "FR", plan: "pro" }]);

try {
  await seed(url, { cid: CID, domains: ["localhost"], rate_limit_per_second: 100_000 });
  await event(0);
  console.log(
    `segmentql-add: time to add one audience (POST /v2/segment with SegmentQL text, ${PROBES} adds at each count) and of the next event of a known person after each add (POST /collect/json, one person: its profile object catches up with the new audience), on workerd directly (Miniflare, in-memory state), one account; seeding ${CONCURRENCY} requests at a time; 2 cores shared with other agents`,
  );
  console.log(
    "| audiences in the account (the last 15 added one by one) | add one: p50 ms | p99 ms | next event after the add: p50 ms | p99 ms | workerd CPU per next event: mean ms | seeding adds/s (to reach this count) |",
  );
  console.log("|--:|--:|--:|--:|--:|--:|--:|");
  let next = 0;
  for (const target of STEPS) {
    const t0 = performance.now();
    const from = next;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < target - PROBES) await addAudience(next++);
      }),
    );
    const rate = ((next - from) * 1000) / (performance.now() - t0);
    const adds: number[] = [];
    const events: number[] = [];
    const eventCpu: number[] = [];
    for (let j = 0; j < PROBES; j++) {
      adds.push(await addAudience(next++));
      const cpu0 = w.cpuMs();
      events.push(await event(next));
      eventCpu.push(w.cpuMs() - cpu0);
    }
    console.log(
      `| ${target.toLocaleString("en")} | ${median(adds).toFixed(1)} | ${percentile(adds, 99).toFixed(1)} | ${median(events).toFixed(1)} | ${percentile(events, 99).toFixed(1)} | ${(eventCpu.reduce((a, b) => a + b, 0) / PROBES).toFixed(1)} | ${rate.toFixed(0)} |`,
    );
  }
} finally {
  await w.stop();
}
