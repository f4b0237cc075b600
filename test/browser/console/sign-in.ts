import type { Page } from "playwright-core";
import { adminToken, baseUrl } from "../harness";

/** Signs in to the console (as the demo account's admin unless a token is given) and opens `hash` (e.g. `#audiences/new`). */
export async function signIn(page: Page, hash: string, token = adminToken()): Promise<void> {
  page.setDefaultTimeout(10_000);
  await page.goto(`${baseUrl()}/admin`);
  await page.fill("#token", token);
  await page.click("button[type=submit]");
  await page.waitForSelector("text=Sign out");
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

/** Fails the test on any script error in the console. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}
