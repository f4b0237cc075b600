// `npm run bench`: bundles each bench/*.ts with esbuild and runs it with
// Node. Benchmarks print measured figures and ratios against a baseline run
// in the same process; they never assert times. `npm run bench -- name`
// runs only the benchmarks whose file name contains `name`.
//
// Every run writes what it printed into bench/RESULTS.md: the whole file
// (machine, date, load average, `npm run size`, every section) when all
// benchmarks ran, or just the sections that ran when a name was given.
import { build } from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, release, platform } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";

const filter = process.argv[2] ?? "";
const files = readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && f !== "harness.ts" && f.includes(filter))
  .sort();
// Bundles live inside the repo so their imports resolve from node_modules.
const out = join("node_modules", ".cache", "pathlight-bench");
mkdirSync(out, { recursive: true });
const RESULTS = join("bench", "RESULTS.md");
const load = loadavg();
const started = new Date();

/** Runs a command, echoing its output and returning it. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], cwd: process.cwd() });
    let text = "";
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      text += d;
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.on("exit", (code) => resolve({ code, text }));
  });
}

/** Markdown of a benchmark's output: its tables as tables, every other line as text. */
function markdown(text) {
  const lines = text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "").split("\n");
  const blocks = [];
  let prose = [];
  const flush = () => {
    if (prose.length) blocks.push(["```text", ...prose, "```"].join("\n"));
    prose = [];
  };
  let table = [];
  for (const line of lines) {
    if (line.startsWith("|")) {
      flush();
      table.push(line);
      continue;
    }
    if (table.length) blocks.push(table.join("\n"));
    table = [];
    if (line.trim()) prose.push(line);
  }
  if (table.length) blocks.push(table.join("\n"));
  flush();
  return blocks.join("\n\n");
}

const section = (name, body) => `<!-- bench:${name} -->\n## ${name}\n\n${body}\n<!-- /bench:${name} -->`;

const cpu = cpus();
const header = [
  "# Benchmark results",
  "",
  "Written by `npm run bench` (`npm run bench -- <name>` re-runs and rewrites one section). Figures are",
  "measured, ratios are against a baseline of the same run; nothing here is asserted by `npm test`.",
  "",
  `- Date: ${started.toISOString()}`,
  `- Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.versions.node}`,
  `- Load average at start: ${load.map((l) => l.toFixed(2)).join(", ")} (1, 5, 15 min). Other agents build and test on this`,
  "  2-core machine at the same time, so absolute figures are noisy; ratios within one section are the figures to read.",
].join("\n");

/** Writes what ran so far (after each section, so a long run leaves its figures even if stopped). */
function writeResults() {
  if (!filter) return writeFileSync(RESULTS, `${header}\n\n${sections.join("\n\n")}\n`);
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : `${header}\n`;
  for (const s of sections) {
    const name = s.match(/<!-- bench:([\w-]+) -->/)[1];
    const re = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
    text = re.test(text) ? text.replace(re, s) : `${text.trimEnd()}\n\n${s}\n`;
  }
  writeFileSync(RESULTS, text);
}

let failed = 0;
const sections = [];
// The worker serves dist/ (wrangler dev and workerd both need it).
if (filter && !existsSync("dist")) await run("npm", ["run", "--silent", "build"]);
if (!filter) {
  const size = await run("npm", ["run", "--silent", "size"]);
  sections.push(section("size", markdown(size.text)));
  writeResults();
}
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
  const res = await run(process.execPath, [outfile]);
  if (res.code !== 0) failed++;
  const name = file.replace(/\.ts$/, "");
  sections.push(section(name, `${markdown(res.text)}${res.code !== 0 ? `\n\n(exited with code ${res.code})` : ""}`));
  writeResults();
}

console.log(`\nbench: wrote ${RESULTS}`);
if (failed) process.exit(1);
