// `npm run gallery` (second half): a screenshot of every console page and of
// /docs, written to gallery/console-<page>.png and gallery/docs.png. It
// starts its own `wrangler dev` on a free port with throwaway state, seeds
// the demo account (audiences, experiences, content, one known visitor),
// signs in with a throwaway admin token and walks the console's navigation,
// so pages added later appear without changing this script.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { freePort, seedAccount, seedExperiences, startWrangler } from "./dev-server.mjs";

const OUT = "gallery";
const token = `gallery-${Date.now()}-admin-token`;
const dir = mkdtempSync(join(tmpdir(), "pathlight-gallery-"));
mkdirSync(OUT, { recursive: true });

const server = await startWrangler({
  port: await freePort(),
  persistTo: join(dir, "state"),
  vars: { ADMIN_TOKEN: token, PATHLIGHT_ENV: "development" },
  env: { ...process.env, XDG_CONFIG_HOME: join(dir, "config"), WRANGLER_SEND_METRICS: "false" },
  quiet: true,
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const base = server.url;
  await seedAccount(base, token, {
    cid: "demo",
    name: "Demo",
    domains: ["localhost", "127.0.0.1", "www.example.com"],
    surfaced_fields: ["name", "plan"],
  });
  await seedExperiences(base, token, "demo");
  // One known visitor, so People has someone to show: two visits, a hiking fan, signed up on the server.
  const send = (path, body, headers = {}) =>
    fetch(`${base}${path}`, {
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

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
  const page = await context.newPage();
  // Screenshots wait until no request has been in flight for 300 ms (the page's API calls answered).
  let inFlight = 0;
  let last = Date.now();
  page.on("request", () => {
    inFlight++;
    last = Date.now();
  });
  for (const event of ["requestfinished", "requestfailed"])
    page.on(event, () => {
      inFlight = Math.max(0, inFlight - 1);
      last = Date.now();
    });
  const settled = async () => {
    const end = Date.now() + 15_000;
    while (Date.now() < end && (inFlight > 0 || Date.now() - last < 300)) await new Promise((r) => setTimeout(r, 50));
  };
  const shot = async (name) => {
    const file = join(OUT, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  };
  await page.goto(`${base}/admin`);
  await page.waitForSelector("#token");
  await shot("console-sign-in");
  await page.fill("#token", token);
  await page.click("button[type=submit]");
  await page.waitForSelector("nav[aria-label='Console']");
  const hrefs = await page
    .locator("nav[aria-label='Console'] a")
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  for (const href of hrefs) {
    const name = href.replace(/^#/, "");
    await page.click(`nav[aria-label='Console'] a[href='${href}']`);
    await page.waitForSelector(`.page[data-page="${name}"]`);
    await settled();
    await shot(`console-${name}`);
  }
  // People with a person shown.
  await page.evaluate(() => {
    location.hash = "#people/email/ada%40example.com";
  });
  await page.waitForSelector("table[aria-label='Profile fields']");
  await settled();
  await shot("console-people-person");

  await page.goto(`${base}/docs`);
  await page.waitForSelector(".opblock-tag-section");
  await settled();
  await shot("docs");
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
