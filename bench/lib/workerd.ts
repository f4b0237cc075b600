// Runs workers on workerd directly (Miniflare, no `wrangler dev` proxy in
// front): each worker is built the way `wrangler deploy` bundles it and
// listens on its own socket of the one workerd process.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort } from "../../scripts/dev-server.mjs";

/** Bundles live inside the repo: workerd refuses module paths outside its root. */
const OUT = join("node_modules", ".cache", "pathlight-bench", "workers");

/** Bundles the worker of `config` as `wrangler deploy` would; returns the entry file. */
export function bundleWorker(config: string, name: string, env: NodeJS.ProcessEnv): string {
  const outdir = resolve(OUT, name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const res = spawnSync("wrangler", ["deploy", "--dry-run", "--config", config, "--outdir", outdir], {
    env,
    encoding: "utf8",
  });
  if (res.status !== 0) throw new Error(`bundling ${config} failed:\n${res.stdout}\n${res.stderr}`);
  return resolve(outdir, "index.js");
}

/**
 * The worker's sources as they were at `commit` (default: the commit before
 * the collect path was profiled and cut), beside the current ones, so one
 * workerd runs both; returns the copy's wrangler.toml.
 */
export function sourcesAt(commit: string): { config: string; commit: string } {
  const full = execFileSync("git", ["rev-parse", "--short", commit], { encoding: "utf8" }).trim();
  const dir = resolve(OUT, `src-${full}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync(
    "git",
    ["archive", "--format=tar", full, "edge", "types", "wrangler.toml", "tsconfig.base.json"],
    {
      maxBuffer: 1 << 28,
    },
  );
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  if (!existsSync(join(dir, "dist"))) symlinkSync(resolve("dist"), join(dir, "dist"));
  // A queue has one consumer: the copy gets its own.
  const config = join(dir, "wrangler.toml");
  writeFileSync(
    config,
    readFileSync(config, "utf8").replaceAll("pathlight-segment-events", `pathlight-segment-events-${full}`),
  );
  return { config, commit: full };
}

export interface DirectWorker {
  /** Name of the worker, the key of its URL. */
  name: string;
  /** Its wrangler.toml. */
  config: string;
  /** Extra variables. */
  vars?: Record<string, string>;
}

/**
 * Starts one workerd (through Miniflare) running every worker, each on its
 * own direct socket on 127.0.0.1. State is kept in a throw-away folder
 * (`persist`), so storage can be measured on disk.
 */
export async function startWorkerd(
  workers: DirectWorker[],
  options: { inspectorPort?: number; inMemory?: boolean } = {},
): Promise<{ urls: Record<string, string>; stateDir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "pathlight-workerd-"));
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, "config"), WRANGLER_SEND_METRICS: "false" };
  const urls: Record<string, string> = {};
  const v4workers = [];
  for (const w of workers) {
    const scriptPath = bundleWorker(w.config, w.name, env);
    const {
      modulesRules: _rules,
      rootPath: _root,
      ...opts
    } = unstable_getMiniflareWorkerOptions(w.config).workerOptions as Record<string, unknown> & {
      bindings?: Record<string, unknown>;
    };
    const port: number = await freePort();
    urls[w.name] = `http://127.0.0.1:${port}`;
    v4workers.push({
      ...opts,
      name: w.name,
      bindings: { ...opts.bindings, ...w.vars },
      modules: true,
      scriptPath,
      unsafeDirectSockets: [{ host: "127.0.0.1", port }],
    });
  }
  const stateDir = join(dir, "state");
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: await freePort(),
      ...(options.inMemory ? {} : { resourcePersistencePath: resolve(stateDir) }),
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
      workers: v4workers,
    } as any),
  );
  await mf.ready;
  return {
    urls,
    stateDir,
    stop: async () => {
      await mf.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
