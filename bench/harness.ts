// Shared benchmark helpers: a throw-away `wrangler dev` and timing utilities.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort, seedAccount, startWrangler } from "../scripts/dev-server.mjs";

export const ADMIN_TOKEN = "bench-admin-token-0123456789";

/** Starts `wrangler dev` on 127.0.0.1 with its own state; returns its URL and a stop function. */
export async function startServer(
  vars: Record<string, string> = {},
  options: { config?: string; readyPath?: string } = {},
): Promise<{ url: string; inspectorPort: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "pathlight-bench-"));
  const port: number = await freePort();
  const server = await startWrangler({
    port,
    persistTo: join(dir, "state"),
    vars: { ADMIN_TOKEN, PATHLIGHT_ENV: "development", ...vars },
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, "config"), WRANGLER_SEND_METRICS: "false" },
    quiet: true,
    ...options,
  });
  return {
    url: server.url,
    inspectorPort: server.inspectorPort,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an account through the API. */
export const seed = (url: string, account: Record<string, unknown>) =>
  seedAccount(url, ADMIN_TOKEN, account) as Promise<unknown>;

/** Median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/** Percentile (0–100) of numbers. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
}

/**
 * Runs `request(i)` with `concurrency` workers for `ms` milliseconds and
 * returns requests per second and latency percentiles.
 */
export async function load(
  ms: number,
  concurrency: number,
  request: (i: number) => Promise<Response>,
): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const end = performance.now() + ms;
  const latencies: number[] = [];
  let i = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await request(i++);
        await res.arrayBuffer();
        if (!res.ok) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  return {
    rps: latencies.length / (ms / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}
