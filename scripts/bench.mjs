// `npm run bench`: bundles each bench/*.ts with esbuild and runs it with
// Node. Benchmarks print measured figures and ratios against a baseline run
// in the same process; they never assert times. `npm run bench -- name`
// runs only the benchmarks whose file name contains `name`.
import { build } from "esbuild";
import { readdirSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const filter = process.argv[2] ?? "";
const files = readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && f !== "harness.ts" && f.includes(filter))
  .sort();
// Bundles live inside the repo so their imports resolve from node_modules.
const out = join("node_modules", ".cache", "pathlight-bench");
mkdirSync(out, { recursive: true });
let failed = 0;
for (const file of files) {
  const outfile = join(out, file.replace(/\.ts$/, ".mjs"));
  await build({
    entryPoints: [join("bench", file)],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    logLevel: "error",
    packages: "external",
  });
  console.log(`\n== ${file}`);
  const res = spawnSync(process.execPath, [outfile], { stdio: "inherit", cwd: process.cwd() });
  if (res.status !== 0) failed++;
}
if (failed) process.exit(1);
