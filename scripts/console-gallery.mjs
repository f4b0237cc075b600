// Part of `npm run gallery`: a screenshot of every console page (each entry
// of the console's navigation, plus the experience editor's steps, an
// experience report and a person on People) and of /docs, written to gallery/console-*.png. Runs
// its own `wrangler dev` on a free port with a throw-away state directory,
// seeded like `npm start` (demo account, audiences and experiences), with
// a few visits on the demo site so the report has data.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { freePort, seedAccount, seedExperiences, startWrangler } from "./dev-server.mjs";

const OUT = "gallery";
const dir = mkdtempSync(join(tmpdir(), "pathlight-gallery-"));
const token = "gallery-admin-token-0123456789";
const server = await startWrangler({
  port: await freePort(),
  persistTo: join(dir, "state"),
  vars: { ADMIN_TOKEN: token, PATHLIGHT_ENV: "development" },
  env: { ...process.env, XDG_CONFIG_HOME: join(dir, "config"), WRANGLER_SEND_METRICS: "false" },
  quiet: true,
});
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const shot = async (page, name) => {
  await page.waitForTimeout(300);
  const file = join(OUT, `console-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
};
try {
  await seedAccount(server.url, token, {
    cid: "demo",
    name: "Demo",
    domains: ["localhost", "127.0.0.1", "www.example.com"],
    public_personalization: true,
    surfaced_fields: ["name", "plan"],
  });
  await seedExperiences(server.url, token, "demo");
  // One known visitor, so People has someone to show: two visits, a hiking fan, signed up on the server.
  const send = (path, body, headers = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  await send("/c/demo", [
    { _uid: "gallery-1", _e: "pv", url: "www.example.com/demo/article-trails.html", hiking_views: 1, _sesstart: 1 },
    { _uid: "gallery-1", _e: "pv", url: "www.example.com/demo/article-boots.html", hiking_views: 2 },
  ]);
  await send(
    "/collect/json/crm?cid=demo",
    { email: "ada@example.com", name: "Ada", plan: "gold", _uid: "gallery-1" },
    { authorization: token },
  );
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" });

  // A hiking fan on the demo site, so the reports count someone.
  const visitor = await context.newPage();
  for (const file of ["article-hiking.html", "article-waterfalls.html", "index.html"]) {
    await visitor.goto(`${server.url}/demo/${file}`);
    await visitor.waitForFunction(() => !!window.jstag?.getEntity?.());
  }
  await visitor.waitForSelector(".pf-widget", { timeout: 8000 }).catch(() => {});
  await visitor.evaluate(() => new Promise((done) => window.jstag.flush().then(done, done)));
  await visitor.close();

  const page = await context.newPage();
  await page.goto(`${server.url}/admin`);
  await shot(page, "sign-in");
  await page.fill("#token", token);
  await page.click("button[type=submit]");
  await page.waitForSelector("header nav");
  const pages = await page.$$eval("header nav a", (links) => links.map((a) => a.getAttribute("href").slice(1)));
  for (const name of pages) {
    await page.goto(`${server.url}/admin#${name}`);
    await page.waitForSelector(`.page[data-page="${name}"]`);
    await page.waitForLoadState("networkidle");
    // Lists fill some cells later (the experiences' reach and rate come from their reports).
    await page.waitForFunction(() => ![...document.querySelectorAll("td")].some((td) => td.textContent === "…"));
    await shot(page, name);
  }
  // People with a person shown.
  await page.goto(`${server.url}/admin#people/email/ada%40example.com`);
  await page.waitForSelector("table[aria-label='Profile fields']");
  await page.waitForLoadState("networkidle");
  await shot(page, "people-person");
  const experiences = await (
    await fetch(`${server.url}/api/experience?cid=demo`, { headers: { authorization: token } })
  ).json();
  const first = experiences.data[0];
  if (first) {
    // Let the hiking fan's view reach the report (counted through the queue).
    for (let i = 0; i < 60; i++) {
      const report = await (
        await fetch(`${server.url}/api/experience/${first.id}/report?cid=demo`, { headers: { authorization: token } })
      ).json();
      if (report.data.totals.reach > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.goto(`${server.url}/admin#experiences/${first.id}`);
    for (const [i, step] of ["tactic", "design", "targeting", "display", "review"].entries()) {
      await page.click(`ol.steps li:nth-child(${i + 1}) button`);
      if (i > 0) await page.waitForSelector("iframe[data-ready=true]");
      await shot(page, `experiences-editor-${step}`);
    }
    await page.goto(`${server.url}/admin#experiences/${first.id}/report`);
    await page.waitForSelector("text=Report:");
    await page.waitForLoadState("networkidle");
    await shot(page, "experiences-report");
  }
  await page.goto(`${server.url}/docs`);
  await page.waitForLoadState("networkidle");
  await shot(page, "api-reference");
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
