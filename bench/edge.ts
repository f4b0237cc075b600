// Edge throughput on local workerd (wrangler dev): collect and /personalize
// against the hello-world route of the same app (/health), same run.
// Budget (PRODUCT.md §8): each >= 50% of the hello-world rate.
import { load, seed, startServer } from "./harness";

const DURATION_MS = Number(process.env.BENCH_MS ?? 4000);
const CONCURRENCY = 16;

const server = await startServer();
try {
  const { url } = server;
  await seed(url, { cid: "bench", domains: ["localhost"], surfaced_fields: ["plan"], rate_limit_per_second: 100_000 });
  const uids = Array.from({ length: 200 }, (_, i) => `bench-${i}`);
  // Warm up: every visitor exists, code is compiled.
  await Promise.all(
    uids.map((uid) =>
      fetch(`${url}/c/bench`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ _uid: uid, plan: "pro" }),
      }),
    ),
  );
  await load(1000, CONCURRENCY, () => fetch(`${url}/health`));

  const hello = await load(DURATION_MS, CONCURRENCY, () => fetch(`${url}/health`));
  const collect = await load(DURATION_MS, CONCURRENCY, (i) =>
    fetch(`${url}/c/bench`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify([{ _uid: uids[i % uids.length], _eid: `e${i}`, page: i % 7, plan: "pro" }]),
    }),
  );
  const personalize = await load(DURATION_MS, CONCURRENCY, (i) =>
    fetch(`${url}/personalize?cid=bench&uid=${uids[i % uids.length]}`),
  );

  const row = (name: string, r: { rps: number; p50: number; p99: number; errors: number }) =>
    `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   errors ${r.errors}`;
  console.log(
    `edge: ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s each, wrangler dev on 127.0.0.1 (one machine, 2 cores shared with the load generator)`,
  );
  console.log(row("hello world (/health)", hello));
  console.log(row("collect (/c/:cid)", collect));
  console.log(row("personalize", personalize));
  const ratio = (r: { rps: number }) => `${((r.rps / hello.rps) * 100).toFixed(0)}%`;
  console.log(`edge: collect ${ratio(collect)} and personalize ${ratio(personalize)} of hello world (budget >= 50%)`);
} finally {
  await server.stop();
}
