// `node scripts/check-state-upgrade.mjs <old-commit>`: shows that local state
// written by an earlier version still reads the same under this one.
//
// 1. Checks out <old-commit> and HEAD in scratch worktrees (under the system
//    temp folder; node_modules is shared when the lock file is the same).
// 2. Runs the old `npm start` (demo account seeded), collects events for a few
//    demo visitors (fields, identifiers, a second device sharing an email),
//    and records what the API answers about them.
// 3. Stops it, copies its `.wrangler/state` into the new checkout, runs the
//    new `npm start` on it, asks the same questions and diffs the answers.
// Exits 0 when every answer is identical, 1 otherwise (printing the diff).
// Nothing in the current checkout (its .wrangler/state or .dev.vars) is touched.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./dev-server.mjs";

const oldCommit = process.argv[2];
if (!oldCommit) {
  console.error("usage: node scripts/check-state-upgrade.mjs <old-commit>");
  process.exit(2);
}
const root = resolve(".");
const scratch = mkdtempSync(join(tmpdir(), "pathlight-state-upgrade-"));
const xdg = join(scratch, "xdg");
mkdirSync(xdg);
const TOKEN = "pl_root_state_upgrade_check";
const git = (...args) => execFileSync("git", ["-C", root, ...args], { encoding: "utf8" }).trim();

/** A scratch worktree at `commit`, with node_modules. */
function checkout(name, commit) {
  const dir = join(scratch, name);
  git("worktree", "add", "--detach", dir, commit);
  const sameLock = git("diff", "--name-only", commit, "--", "package-lock.json") === "";
  if (sameLock && existsSync(join(root, "node_modules")))
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  else execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" });
  writeFileSync(join(dir, ".dev.vars"), `ADMIN_TOKEN="${TOKEN}"\n`);
  return dir;
}

/** Runs `npm start` in `dir` until the demo account is seeded; returns its URL and a stop function. */
async function start(dir) {
  const port = await freePort();
  const child = spawn("npm", ["start"], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), XDG_CONFIG_HOME: xdg },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const deadline = Date.now() + 900_000; // the build and wrangler's first start are slow on a loaded machine
  while (!output.includes("Pathlight is running.")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      throw new Error(
        `npm start in ${dir} did not come up (exit ${child.exitCode}, signal ${child.signalCode}):\n${output.slice(-3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    process.kill(-child.pid, "SIGINT");
    const until = Date.now() + 20_000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < until)
      await new Promise((r) => setTimeout(r, 200));
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
    // workerd may hold the SQLite files a moment longer.
    await new Promise((r) => setTimeout(r, 1000));
  };
  return { url: `http://127.0.0.1:${port}`, stop };
}

const ORIGIN = "http://localhost";
const visitors = [
  {
    _uid: "upgrade-ada",
    events: [{ name: "Ada", plan: "pro", favorite_topic: "hiking", email: "ada@example.com" }, { plan: "team" }],
  },
  { _uid: "upgrade-bo", events: [{ name: "Bo", favorite_topic: "sailing", email: "bo@example.com" }] },
  // A second device of Ada's with the same email (the demo account does not merge on email: a profile of its own).
  { _uid: "upgrade-ada-phone", events: [{ name: "Ada L.", email: "ada@example.com" }] },
];

async function seed(url) {
  let n = 0;
  for (const v of visitors)
    for (const fields of v.events) {
      const body = { _e: "pv", _uid: v._uid, _eid: `upgrade-${n++}`, url: `localhost/demo/${n}`, ...fields };
      const res = await fetch(`${url}/c/demo`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`collect: ${res.status} ${await res.text()}`);
    }
}

/** Every answer about the demo visitors, keyed by request. */
async function observe(url) {
  const auth = { authorization: TOKEN };
  const requests = [];
  for (const v of visitors) {
    const uid = encodeURIComponent(v._uid);
    requests.push([`/personalize?cid=demo&uid=${uid}`, { origin: ORIGIN }]);
    requests.push([`/api/entity/user/_uid/${uid}?cid=demo`, auth]);
    requests.push([`/api/person/_uid/${uid}?cid=demo`, auth]);
  }
  requests.push([`/api/entity/user/email/${encodeURIComponent("ada@example.com")}?cid=demo`, auth]);
  requests.push([`/api/entity/user/email/${encodeURIComponent("ada@example.com")}/export?cid=demo`, auth]);
  const answers = {};
  for (const [path, headers] of requests) {
    const res = await fetch(`${url}${path}`, { headers });
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    answers[path] = { status: res.status, body };
  }
  return answers;
}

/** Values computed from the clock at read time (behavioural scores, decayed affinities) differ between two reads. */
function stable(value) {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !k.startsWith("score_") && !/^(generated|exported|took|request_id)$/.test(k))
        .map(([k, v]) => [k, stable(v)]),
    );
  return value;
}

let failed = false;
try {
  console.log(`scratch folder: ${scratch}`);
  const oldDir = checkout("old", oldCommit);
  const newDir = checkout("new", "HEAD");
  console.log(`old: ${git("rev-parse", "--short", oldCommit)}  new: ${git("rev-parse", "--short", "HEAD")}`);

  const old = await start(oldDir);
  await seed(old.url);
  const before = await observe(old.url);
  await old.stop();

  rmSync(join(newDir, ".wrangler"), { recursive: true, force: true });
  mkdirSync(join(newDir, ".wrangler"));
  cpSync(join(oldDir, ".wrangler", "state"), join(newDir, ".wrangler", "state"), { recursive: true });
  const current = await start(newDir);
  const after = await observe(current.url);
  await current.stop();

  writeFileSync(join(scratch, "before.json"), `${JSON.stringify(before, null, 2)}\n`);
  writeFileSync(join(scratch, "after.json"), `${JSON.stringify(after, null, 2)}\n`);
  for (const path of Object.keys(before)) {
    const a = JSON.stringify(stable(before[path]), null, 2);
    const b = JSON.stringify(stable(after[path]), null, 2);
    const found = `status ${before[path].status}, ${JSON.stringify(before[path].body).length} bytes`;
    if (a === b) console.log(`same     ${path} (${found})`);
    else {
      failed = true;
      console.log(`DIFFERS  ${path}\n--- old\n${a}\n+++ new\n${b}`);
    }
  }
  console.log(failed ? "state upgrade check: FAILED" : "state upgrade check: every answer identical");
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  for (const name of ["old", "new"])
    if (existsSync(join(scratch, name))) {
      try {
        git("worktree", "remove", "--force", join(scratch, name));
      } catch {}
    }
  console.log(`answers kept in ${scratch}/before.json and after.json`);
}
process.exit(failed ? 1 : 0);
