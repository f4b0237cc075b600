import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";

/** Path of Debian's Chromium; override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Origin of the `wrangler dev` started by global-setup.ts. */
export const baseUrl = (): string => inject("baseUrl");
/** Admin token of that server. */
export const adminToken = (): string => inject("adminToken");

let browser: Browser | undefined;

/**
 * Launches one headless Chromium per test file and closes it afterwards.
 * Returns a function that opens a fresh, isolated context (own cookies and
 * storage) so tests never share a visitor.
 */
export function useBrowser(): () => Promise<{ context: BrowserContext; page: Page }> {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  return async () => {
    if (!browser) throw new Error("browser not launched");
    const context = await browser.newContext();
    const page = await context.newPage();
    return { context, page };
  };
}

/**
 * Serves `html` at `url` (on the worker's origin, so the page is same-site
 * with the tag and the API) without the worker knowing the page.
 */
export async function servePage(page: Page, url: string, html: string): Promise<void> {
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
}

/** Calls the management API with the admin token. */
export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", adminToken());
  return fetch(baseUrl() + path, { ...init, headers });
}
