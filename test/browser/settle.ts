import type { Page } from "playwright-core";

/**
 * Tracks the page's requests; `settled()` resolves once none has been in
 * flight for `quietMs` (a page's API calls answered and rendered). Unlike
 * the `networkidle` load state, it works after in-page navigation.
 */
export function trackRequests(page: Page, quietMs = 300): { settled: () => Promise<void> } {
  let inFlight = 0;
  let last = Date.now();
  page.on("request", () => {
    inFlight++;
    last = Date.now();
  });
  const done = () => {
    inFlight = Math.max(0, inFlight - 1);
    last = Date.now();
  };
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  return {
    settled: async () => {
      const end = Date.now() + 15_000;
      while (Date.now() < end && (inFlight > 0 || Date.now() - last < quietMs))
        await new Promise((r) => setTimeout(r, 50));
    },
  };
}
