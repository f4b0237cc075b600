import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { signIn } from "./console";
import { api, baseUrl, useBrowser } from "./harness";
import { trackRequests } from "./settle";

const open = useBrowser();

/** axe-core's browser build, injected into each page as it is. */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe (WCAG 2.1 A and AA rules) on the page; returns the serious and critical violations, readable. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Violation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 10)
          .join(", ")}`,
    );
}

describe("accessibility (axe-core: no serious or critical WCAG 2.1 AA violations)", () => {
  it("the sign-in page", async () => {
    const { page } = await open();
    await page.goto(`${baseUrl()}/admin`);
    await page.waitForSelector("#token");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("every page in the console's navigation", async () => {
    const { page } = await open();
    const requests = trackRequests(page);
    await signIn(page);
    const hrefs = await page
      .locator("nav[aria-label='Console'] a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs.length).toBeGreaterThanOrEqual(3);
    const found: Record<string, string[]> = {};
    for (const href of hrefs) {
      const name = href.replace(/^#/, "");
      await page.click(`nav[aria-label='Console'] a[href='${href}']`);
      await page.waitForSelector(`.page[data-page="${name}"]`);
      await requests.settled(); // the page's first API calls answered and rendered
      found[name] = await seriousViolations(page);
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  }, 120_000);

  it("a person shown in full on the People page", async () => {
    await api("/collect/json/crm?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "axe@example.com", name: "Axe", plan: "gold", _uid: "axe-1" }),
    });
    const { page } = await open();
    await signIn(page);
    await page.evaluate(() => {
      location.hash = "#people/email/axe%40example.com";
    });
    await page.waitForSelector("table[aria-label='Profile fields']");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("the API reference (/docs)", async () => {
    const { page } = await open();
    await page.goto(`${baseUrl()}/docs`);
    await page.waitForSelector(".opblock-tag-section");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
