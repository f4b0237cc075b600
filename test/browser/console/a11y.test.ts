import AxeBuilder from "@axe-core/playwright";
import { describe, expect, it } from "vitest";
import { api, useBrowser } from "../harness";
import { signIn } from "./sign-in";

const open = useBrowser();

/** Serious and critical axe violations on the page, as "rule: target" lines. */
async function serious(page: import("playwright-core").Page): Promise<string[]> {
  const res = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return res.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

describe("console: audiences, webhooks and content pages pass axe", () => {
  it("has no serious or critical violations on any of their views", async () => {
    await api("/v2/segment?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug_name: "axe_check", segment_ql: 'FILTER AND (visitct >= 2, last_visit > "now-7d")' }),
    });
    const { page } = await open();
    await signIn(page, "#audiences");
    const views: [string, string][] = [
      ["#audiences", "text=All audiences"],
      ["#audiences/new", "#segql"],
      ["#audiences/axe_check", "text=Size over time"],
      ["#webhooks", "text=Subscriptions"],
      ["#webhooks/new", "#wh-url"],
      ["#content", "table[aria-label=Documents]"],
      ["#content/preview", "#rec-value"],
    ];
    const found: string[] = [];
    for (const [hash, ready] of views) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await page.waitForSelector(ready);
      for (const v of await serious(page)) found.push(`${hash} ${v}`);
    }
    expect(found).toEqual([]);
  });
});
