// Starts the worker under `wrangler dev` on 127.0.0.1 and waits until it
// answers. Used by `npm start` and by the browser tests.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createServer } from "node:net";

/** Finds a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `wrangler dev` and resolves once `readyPath` (default `/health`) answers.
 * `config` picks another wrangler.toml (the benchmarks' hello-world worker).
 *
 * With `group`, wrangler and the workerd it starts run in a process group of
 * their own, and the result has `crash()`: SIGKILL to the whole group, as a
 * machine or runtime failure would end the worker (the fault suite).
 * @param {{port:number, persistTo:string, vars?:Record<string,string>, env?:NodeJS.ProcessEnv, quiet?:boolean, config?:string, readyPath?:string, group?:boolean}} opts
 */
export async function startWrangler({
  port,
  persistTo,
  vars = {},
  env = process.env,
  quiet = false,
  config,
  readyPath = "/health",
  group = false,
}) {
  const inspectorPort = await freePort();
  const args = [
    "dev",
    ...(config ? ["--config", config] : []),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    persistTo,
    "--inspector-port",
    String(inspectorPort),
    "--show-interactive-dev-session=false",
    "--log-level",
    quiet ? "error" : "info",
  ];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn("wrangler", args, {
    env,
    detached: group,
    stdio: quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
  });
  let output = "";
  if (quiet) {
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
  }
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      if (res.ok) return { url, child, inspectorPort, stop: () => stop(child, group), crash: () => crash(child) };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  stop(child, group);
  throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${output}`);
}

/** Sends `signal` to the child, or to its whole process group. */
function signal(child, sig, group) {
  try {
    if (group) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {}
}

function stop(child, group = false) {
  return new Promise((resolve) => {
    if (child.exitCode !== null && !group) return resolve();
    const done = () => {
      // workerd may outlive wrangler: end the rest of the group too.
      if (group) signal(child, "SIGKILL", true);
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", done);
    signal(child, "SIGTERM", group);
    setTimeout(() => signal(child, "SIGKILL", group), 5000).unref();
  });
}

/** SIGKILL to wrangler's process group (wrangler, workerd): no shutdown of any kind. Resolves once wrangler is gone. */
function crash(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      signal(child, "SIGKILL", true);
      return resolve();
    }
    child.once("exit", () => resolve());
    signal(child, "SIGKILL", true);
  });
}

/**
 * The demo's article list: beside this script, or from the working
 * directory when this file was bundled elsewhere (the benchmarks bundle it).
 */
function demoArticles() {
  const beside = new URL("../demo/articles.json", import.meta.url);
  return existsSync(beside) ? beside : resolve("demo", "articles.json");
}

/** Creates (or updates) an account through the management API. */
export async function seedAccount(url, adminToken, account) {
  const res = await fetch(`${url}/api/account`, {
    method: "POST",
    headers: { authorization: adminToken, "content-type": "application/json" },
    body: JSON.stringify(account),
  });
  if (!res.ok) throw new Error(`seeding account ${account.cid} failed: ${res.status} ${await res.text()}`);
  const body = await res.json();
  if (account.cid === "demo") await seedDemoContent(url, adminToken, account.cid);
  return body;
}

/**
 * The demo site's content: its article pages are content (settings), its
 * twelve articles are documents (so recommendations can offer articles a
 * visitor has not opened yet), and the `demo_articles` content audience
 * the article template's `data-pfrecommend` blocks ask for.
 */
export async function seedDemoContent(url, adminToken, cid) {
  const call = async (path, method, payload) => {
    const res = await fetch(`${url}${path}?cid=${cid}`, {
      method,
      headers: { authorization: adminToken, "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
    if (!res.ok) throw new Error(`seeding ${path} failed: ${res.status} ${await res.text()}`);
  };
  await call("/api/content/settings", "PUT", { paths: ["/demo/article-*"] });
  await call("/api/content/segment", "POST", {
    segment_ql: 'FILTER url LIKE "*/demo/article-*" FROM content ALIAS demo_articles',
  });
  const articles = JSON.parse(readFileSync(demoArticles(), "utf8"));
  await call(
    "/api/content/doc",
    "POST",
    articles.map((a) => ({
      url: `${url}/demo/article-${a.slug}.html`,
      title: a.title,
      description: a.description,
      primary_image: `${url}/demo/img/${a.tag}.svg`,
      author: a.author,
      published: a.published,
      keywords: [...a.keywords.split(","), a.tag, a.tag2],
    })),
  );
}

/**
 * Seeds the demo's audiences and experiences (idempotent: what exists by
 * slug or name is left alone): a slideout recommending the hiking articles
 * to "hiking fans" (two hiking page views, counted by demo.js as
 * `hiking_views`), and a modal collecting an email from returning visitors
 * (second session).
 */
export async function seedExperiences(url, adminToken, cid) {
  const call = async (path, method = "GET", body) => {
    const res = await fetch(`${url}${path}${path.includes("?") ? "&" : "?"}cid=${cid}`, {
      method,
      headers: { authorization: adminToken, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`seeding ${method} ${path} failed: ${res.status} ${await res.text()}`);
    return (await res.json()).data;
  };
  const audiences = [
    { slug_name: "hiking_fans", name: "Hiking fans", segment_ql: "FILTER AND (hiking_views >= 2) FROM user" },
    { slug_name: "returning_visitors", name: "Returning visitors", segment_ql: "FILTER AND (visitct >= 2) FROM user" },
  ];
  const existing = new Set((await call("/v2/segment")).map((s) => s.slug_name));
  for (const a of audiences)
    if (!existing.has(a.slug_name)) await call("/v2/segment", "POST", { ...a, is_public: true });
  const articles = JSON.parse(readFileSync(demoArticles(), "utf8"));
  const hiking = articles.filter((a) => a.tag === "hiking");
  const experiences = [
    {
      name: "Hiking picks",
      tactic: "recommend_content",
      status: "published",
      targeting: { include: ["hiking_fans"] },
      variations: [
        {
          widget: {
            layout: "slideout",
            position: "bottom-right",
            headline: "More trails for you",
            msg: "Our hiking guides, picked for hiking fans.",
            recommend: { collection: "hiking", visited: false },
            content: hiking.map((a, i) => ({
              title: a.title,
              description: a.description,
              url: `article-${a.slug}.html`,
              image: `img/${a.tag}.svg`,
              default: i === 0,
            })),
          },
        },
      ],
    },
    {
      name: "Welcome back: join the newsletter",
      tactic: "collect_leads",
      status: "published",
      targeting: { include: ["returning_visitors"], exclude: ["hiking_fans"] },
      variations: [
        {
          widget: {
            layout: "modal",
            headline: "Welcome back!",
            msg: "Get the best of the Gazette once a week.",
            okMessage: "Subscribe",
            formElements: [{ type: "email", name: "email", label: "Email", required: true }],
          },
        },
      ],
    },
  ];
  const names = new Set((await call("/api/experience")).map((e) => e.name));
  for (const e of experiences) if (!names.has(e.name)) await call("/api/experience", "POST", e);
}
