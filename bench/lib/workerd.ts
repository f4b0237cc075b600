// Runs workers on workerd directly (Miniflare, no `wrangler dev` proxy in
// front): each worker is built the way `wrangler deploy` bundles it and
// listens on its own socket of the one workerd process.
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort } from "../../scripts/dev-server.mjs";

/** Bundles live inside the repo: workerd refuses module paths outside its root. */
const OUT = join("node_modules", ".cache", "pathlight-bench", "workers");

/** The folder {@link bundleWorker} writes worker `name`'s bundle to. */
export function bundleDir(name: string): string {
  return resolve(OUT, name);
}

/** Bundles the worker of `config` as `wrangler deploy` would; returns the entry file. */
export function bundleWorker(config: string, name: string, env: NodeJS.ProcessEnv): string {
  const outdir = bundleDir(name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const res = spawnSync("wrangler", ["deploy", "--dry-run", "--config", config, "--outdir", outdir], {
    env,
    encoding: "utf8",
  });
  if (res.status !== 0) throw new Error(`bundling ${config} failed:\n${res.stdout}\n${res.stderr}`);
  // The entry keeps the name of the config's `main` (index.ts → index.js, hop.ts → hop.js).
  const entries = readdirSync(outdir).filter((f) => f.endsWith(".js"));
  return resolve(outdir, entries.length === 1 ? entries[0]! : "index.js");
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
): Promise<{
  urls: Record<string, string>;
  stateDir: string;
  /** The workerd process's id (its open files are under /proc/<pid>/fd). */
  pid: number;
  /** CPU time (user + system, ms) the workerd process has used so far: every isolate, the runtime's own threads. */
  cpuMs: () => number;
  stop: () => Promise<void>;
}> {
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
  const pid = workerdPid();
  return {
    urls,
    stateDir,
    pid,
    cpuMs: () => processCpuMs(pid),
    stop: async () => {
      await mf.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Clock ticks per second of /proc's CPU times (Linux: 100). */
const CLK_TCK = Number(process.env.CLK_TCK ?? 100);

/** Fields of /proc/<pid>/stat after the command name (field 3 onwards). */
function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** The workerd process this process started (a descendant whose command is `workerd`). */
function workerdPid(): number {
  const procs = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const comm = readFileSync(`/proc/${d}/comm`, "utf8").trim();
        return [{ pid: Number(d), ppid: Number(statFields(Number(d))[1]), comm }];
      } catch {
        return []; // exited meanwhile
      }
    });
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs)
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
  }
  const found = procs.filter((p) => mine.has(p.pid) && p.comm === "workerd");
  if (found.length !== 1) throw new Error(`expected one workerd started by this process, found ${found.length}`);
  return found[0]!.pid;
}

/** User + system CPU time (ms) of process `pid`. */
function processCpuMs(pid: number): number {
  const f = statFields(pid);
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}
