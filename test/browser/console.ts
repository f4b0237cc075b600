import type { Page } from "playwright-core";
import { adminToken, baseUrl } from "./harness";

/** Opens the console and signs in to account `cid` (demo) with `token` (the admin token by default). */
export async function signIn(page: Page, token = adminToken(), cid = "demo"): Promise<void> {
  await page.goto(`${baseUrl()}/admin`);
  await page.fill("#cid", cid);
  await page.fill("#token", token);
  await page.click("button[type=submit]");
  await page.waitForSelector("nav[aria-label='Console']");
}

/** Goes to a console page by its hash (`people`, `settings/...`) and waits for its heading. */
export async function openConsolePage(page: Page, hash: string, heading: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForSelector(`h1:has-text("${heading}")`);
}
