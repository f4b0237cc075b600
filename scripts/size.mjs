// `npm run size`: raw and gzip -9 sizes of every browser bundle the worker
// serves, against the budgets of PRODUCT.md §8 and the public reference
// figures. Exits non-zero when a budget is exceeded.
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const rows = [
  { file: "dist/tag/snippet.min.js", what: "install snippet + init", rawBudget: 1000 },
  {
    file: "dist/tag/latest.min.js",
    what: "tag core",
    budget: 5000,
    aim: 3600,
    reference: ["Lytics jstag v3 io.min.js", 4429],
  },
  {
    file: "dist/static/pathfora.min.js",
    what: "widgets JS (Preact incl.)",
    budget: 14000,
    aim: 12000,
    reference: ["Pathfora 1.2.x JS", 23613],
  },
  { file: "dist/static/experiences.min.js", what: "experience runtime (loaded when needed)", budget: 1500 },
  { file: "dist/static/pathfora.min.css", what: "widgets CSS", budget: 3500, reference: ["Pathfora 1.2.x CSS", 3555] },
  // Widget chunks loaded on demand (reported, outside the pathfora.min.js budget).
  { file: "dist/static/pathfora.forms.min.js", what: "  chunk: form-type widgets" },
  { file: "dist/static/pathfora.recommend.min.js", what: "  chunk: recommendations, inline" },
  { file: "dist/static/pathfora.ga.min.js", what: "  chunk: GA forwarding" },
];

// The console: its initial JS is the shell (admin.min.js) plus every chunk it
// imports statically (per dist/admin/chunks.json, written by admin/build.mjs);
// every other chunk loads on demand when its page opens.
const CONSOLE_BUDGET = 60000;
const consoleGraph = "dist/admin/chunks.json";
let consoleInitial = [];
let consoleOnDemand = [];
if (existsSync(consoleGraph)) {
  const graph = JSON.parse(readFileSync(consoleGraph, "utf8"));
  const initial = new Set();
  const visit = (file) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const dep of graph[file]?.imports ?? []) visit(dep);
  };
  for (const [file, info] of Object.entries(graph)) if (info.entry) visit(file);
  consoleInitial = [...initial].map((f) => `dist/admin/${f}`);
  consoleOnDemand = Object.keys(graph)
    .filter((f) => !initial.has(f))
    .sort()
    .map((f) => `dist/admin/${f}`);
}
for (const file of consoleInitial)
  rows.push({
    file,
    what: file.endsWith("admin.min.js") ? "console shell" : "  console: loaded with the shell",
    kind: "initial",
  });
for (const file of consoleOnDemand)
  rows.push({
    file,
    what: `  console chunk: ${/page-([^-]+)-/.exec(file)?.[1] ?? `${/chunks\/(.+)-[^-]+\.js$/.exec(file)?.[1]}`}`,
  });

let over = 0;
const pad = (s, n) => String(s).padEnd(n);
const num = (n) => String(n).padStart(7);
console.log(`${pad("bundle", 32)}${pad("what", 30)}    raw   gzip  budget  status   (budget: gzip bytes; "r" = raw)`);
for (const row of rows) {
  if (!existsSync(row.file)) {
    console.log(`${pad(row.file.replace("dist/", ""), 32)}${pad(row.what, 30)}  (not built)`);
    continue;
  }
  let body = readFileSync(row.file);
  // The snippet as pasted: loader plus the init call with a typical URL.
  if (row.file.endsWith("snippet.min.js"))
    body = Buffer.concat([
      body,
      Buffer.from('\njstag.init({src:"https://edge.example.com/api/tag/account-id/latest.min.js"});'),
    ]);
  const raw = body.length;
  const gz = gzipSync(body, { level: 9 }).length;
  let status = row.kind ?? (row.budget === undefined && row.rawBudget === undefined ? "on demand" : "ok");
  if (row.rawBudget !== undefined && raw > row.rawBudget) status = "OVER BUDGET";
  if (row.budget !== undefined && gz > row.budget) status = "OVER BUDGET";
  else if (row.aim !== undefined && gz > row.aim) status = "within budget, above aim";
  if (status === "OVER BUDGET") over++;
  const budget = row.rawBudget !== undefined ? `${row.rawBudget}r` : (row.budget ?? "-");
  let line = `${pad(row.file.replace("dist/", ""), 32)}${pad(row.what, 30)}${num(raw)}${num(gz)}${num(budget)}  ${status}`;
  if (row.reference)
    line += `  (${row.reference[0]}: ${row.reference[1]} B gzip, ratio ${(gz / row.reference[1]).toFixed(2)})`;
  console.log(line);
}
if (consoleInitial.length) {
  const gz = consoleInitial.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const lazy = consoleOnDemand.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const status = gz > CONSOLE_BUDGET ? "OVER BUDGET" : "ok";
  if (status !== "ok") over++;
  console.log(
    `\nconsole initial JS (shell + static imports, ${consoleInitial.length} file(s)): ${gz} B gzip, budget ${CONSOLE_BUDGET}  ${status}`,
  );
  console.log(
    `console on-demand chunks (${consoleOnDemand.length} file(s), each gzipped alone): ${lazy} B gzip in all`,
  );
}
if (over) {
  console.error(`\n${over} bundle(s) over budget`);
  process.exit(1);
}
