import AxeBuilder from "@axe-core/playwright";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { adminToken, api, baseUrl, useBrowser } from "./harness";

const open = useBrowser();

const json = async (path: string, method = "GET", body?: unknown) => {
  const res = await api(path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text).data;
};

async function signIn(page: Page): Promise<void> {
  await page.goto(`${baseUrl()}/admin`);
  await page.fill("#token", adminToken());
  await page.click("button[type=submit]");
  await page.waitForSelector("header nav");
}

/** The preview frame (sandboxed, so only reachable through Playwright's frame API). */
const preview = (page: Page) => page.frameLocator("iframe[title^='Preview']");

/** Opens a page of the demo site and waits for the entity. */
async function visit(page: Page, file: string): Promise<void> {
  await page.goto(`${baseUrl()}/demo/${file}`);
  await page.waitForFunction(() => !!(window as any).jstag?.getEntity?.());
}

const HEADLINE = "Boots for the long trail";

/** Serious and critical axe-core violations of the console page (the sandboxed preview frame aside). */
async function seriousViolations(page: Page): Promise<string[]> {
  const res = await new AxeBuilder({ page }).exclude("iframe").analyze();
  return res.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("console: experiences, as a marketer", () => {
  it("builds an experience with a live preview, publishes it to an audience, a qualifying visitor sees it, and the report counts the view and the conversion", async () => {
    await json("/v2/segment?cid=demo", "POST", {
      slug_name: "console_hikers",
      segment_ql: "FILTER AND (hiking_views >= 2) FROM user",
      is_public: true,
    });
    const { page } = await open();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page);
    expect(await page.locator("text=Loading the console").count()).toBe(0);

    // Build it: tactic, design (the preview follows each change), targeting, review.
    await page.click("nav >> text=Experiences");
    await page.click("text=New experience");
    await page.fill("#exp-name", "Console trail boots");
    await page.check("input[name=tactic][value=present_message]");
    await page.click("text=Next: Design");
    await preview(page).getByText("Hello there").waitFor();
    await page.fill("#var-headline", HEADLINE);
    await preview(page).getByText(HEADLINE).waitFor();
    await page.fill("#var-msg", "Twelve pairs we walked to the end");
    await preview(page).getByText("Twelve pairs we walked to the end").waitFor();
    await page.selectOption("#var-layout", "modal");
    await preview(page).locator(".pf-widget-modal").first().waitFor();
    await page.fill("#var-ok", "Show me");
    await preview(page).locator(".pf-widget-ok", { hasText: "Show me" }).waitFor();
    await page.click("text=Next: Targeting");
    await page.check("input[name=include][value=console_hikers]");
    await page.click("text=Next: Display conditions");
    await page.click("text=Next: Review");
    expect(await page.textContent("dl.summary")).toContain("console_hikers");

    // The advanced override is checked where it is typed, then by the API (its error in place too).
    await page.click("text=Advanced: Pathfora configuration override");
    await page.fill("#exp-override", '{"layout": ');
    expect(await page.textContent("#exp-override-error")).toMatch(/not valid JSON at line 1, column \d+/);
    await page.fill("#exp-override", '{"layout": "popup"}');
    await page.click("text=Save draft");
    await expect.poll(() => page.locator("#exp-override-error").textContent()).toContain("Invalid option");
    expect(await page.getAttribute("#exp-override", "aria-invalid")).toBe("true");
    await page.fill("#exp-override", '{"colors": {"headline": "#123456"}}');

    // Publish, with a confirmation.
    await page.click("button:has-text('Publish')");
    await page.waitForSelector("dialog[open] >> text=visitors in console_hikers");
    await page.click("dialog[open] button[type=submit]");
    await page.waitForSelector("text=Published: it is live");
    const id = decodeURIComponent((await page.evaluate(() => location.hash)).split("/")[1]!);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const stored = await json(`/api/experience/${id}?cid=demo`);
    expect(stored).toMatchObject({
      status: "published",
      tactic: "present_message",
      targeting: { include: ["console_hikers"] },
      vehicle: { detail_override: { colors: { headline: "#123456" } } },
    });
    expect(stored.variations[0].widget).toMatchObject({ layout: "modal", headline: HEADLINE, okMessage: "Show me" });

    // A qualifying visitor sees it on the demo site and clicks through.
    await new Promise((r) => setTimeout(r, 5500)); // the served tag's "has experiences" flag is cached a few seconds
    const { page: fan } = await open();
    await visit(fan, "article-hiking.html");
    await visit(fan, "article-waterfalls.html");
    await visit(fan, "index.html");
    await fan.getByText(HEADLINE).first().waitFor({ state: "visible", timeout: 8000 });
    await fan.locator(".pf-widget-ok", { hasText: "Show me" }).first().click();
    await fan.evaluate(() => new Promise((done) => (window as any).jstag.flush().then(done, done)));

    // The report counts the view and the conversion, with charts.
    await page.goto(`${baseUrl()}/admin#experiences/${id}/report`);
    await page.waitForSelector("text=Report: Console trail boots");
    for (let i = 0; i < 40; i++) {
      if ((await page.textContent("tr[data-variation=a] td[data-metric=conversions]")) === "1") break;
      await page.click("text=Refresh");
      await page.waitForTimeout(250);
    }
    expect(await page.textContent("tr[data-variation=a] td[data-metric=reach]")).toBe("1");
    expect(await page.textContent("tr[data-variation=a] td[data-metric=conversions]")).toBe("1");
    expect(await page.textContent("tr[data-variation=a] td[data-metric=conversion_rate]")).toBe("100.0%");
    expect(await page.locator(".chart .uplot canvas").count()).toBe(3);
    // A date range the API refuses is explained beside the field it names.
    await page.fill("#report-from", "2030-01-02");
    await page.fill("#report-to", "2030-01-01");
    await page.waitForSelector("#report-to-error");
    expect(await page.textContent("#report-to-error")).toContain("on or after from");
    await page.fill("#report-from", "");
    await page.waitForSelector("#report-to-error", { state: "detached" });

    // The list shows it with its audience, reach and rate; pause and archive it there, each confirmed.
    await page.click("text=← All experiences");
    const row = page.locator("tr", { hasText: "Console trail boots" });
    await expect.poll(() => row.locator("td").nth(5).textContent()).toBe("100.0%");
    expect(await row.locator("td").nth(1).textContent()).toBe("published");
    expect(await row.locator("td").nth(3).textContent()).toBe("console_hikers");
    expect(await row.locator("td").nth(4).textContent()).toBe("1");
    // The filter narrows the list; the dialog opens on Cancel and Escape closes it.
    await page.fill("#filter-experiences", "trail boots");
    expect(await page.locator("table[aria-label=Experiences] tbody tr").count()).toBe(1);
    await row.locator("button", { hasText: "Pause" }).click();
    await page.waitForSelector("dialog[open]");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Escape");
    await page.waitForSelector("dialog[open]", { state: "detached" });
    expect(await row.locator("td").nth(1).textContent()).toBe("published");
    await row.locator("button", { hasText: "Pause" }).click();
    await page.click("dialog[open] button[type=submit]");
    await expect.poll(() => row.locator("td").nth(1).textContent()).toBe("paused");
    await row.locator("button", { hasText: "Archive" }).click();
    expect(await page.textContent("dialog[open]")).toContain("cannot be undone");
    await page.click("dialog[open] button[type=submit]");
    await expect.poll(() => row.locator("td").nth(1).textContent()).toBe("archived");
    expect((await json(`/api/experience/${id}?cid=demo`)).status).toBe("archived");
    expect(errors).toEqual([]);
  }, 120_000);

  it("splits traffic over variations and a control group, and keeps a draft unpublished", async () => {
    const { page } = await open();
    await signIn(page);
    await page.goto(`${baseUrl()}/admin#experiences/new`);
    await page.fill("#exp-name", "Console split test");
    await page.check("input[name=tactic][value=collect_leads]");
    await page.click("text=Next: Design");
    await preview(page).locator("form").first().waitFor();
    await page.click("text=Add variation");
    await page.fill("#var-headline", "Variation B asks differently");
    await preview(page).getByText("Variation B asks differently").waitFor();
    await page.fill("#control-share", "10");
    expect(await page.textContent("text=/Shares add up to/")).toContain("110");
    await page.click("text=Split the rest evenly");
    expect(await page.locator("text=/Shares add up to/").count()).toBe(0);
    await page.click("text=Save draft");
    await page.waitForSelector("text=Saved.");
    const id = decodeURIComponent((await page.evaluate(() => location.hash)).split("/")[1]!);
    const stored = await json(`/api/experience/${id}?cid=demo`);
    expect(stored.status).toBe("draft");
    expect(stored.control_share).toBe(10);
    expect(stored.variations.map((v: { id: string; share: number }) => [v.id, v.share])).toEqual([
      ["a", 45],
      ["b", 45],
    ]);
    expect(stored.variations[1].widget.headline).toBe("Variation B asks differently");
    await json(`/api/experience/${id}?cid=demo`, "DELETE");
  }, 60_000);

  it("passes axe-core without serious violations on the list, every editor step and the report, and is read-only for a reader", async () => {
    const draft = await json("/api/experience?cid=demo", "POST", {
      name: "Console a11y draft",
      tactic: "present_message",
      variations: [{ widget: { layout: "modal", headline: "Accessible", msg: "Hello", okMessage: "OK" } }],
    });
    const { page } = await open();
    await signIn(page);
    await page.waitForSelector("tr >> text=Console a11y draft");
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${baseUrl()}/admin#experiences/${draft.id}`);
    for (const step of ["Tactic", "Design", "Targeting", "Display conditions", "Review"]) {
      await page.click(`ol.steps button:has-text('${step}')`);
      await page.waitForSelector(`form[aria-label='${step}']`);
      expect(`${step}: ${(await seriousViolations(page)).join("; ")}`).toBe(`${step}: `);
    }
    await page.goto(`${baseUrl()}/admin#experiences/${draft.id}/report`);
    await page.waitForSelector("text=Report: Console a11y draft");
    expect(await seriousViolations(page)).toEqual([]);

    const res = await api("/api/token?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "console reader 2", role: "reader" }),
    });
    const reader = (await res.json()).data.token as string;
    const { page: readerPage } = await open();
    await readerPage.goto(`${baseUrl()}/admin#experiences`);
    await readerPage.fill("#token", reader);
    await readerPage.click("button[type=submit]");
    await readerPage.waitForSelector("tr >> text=Console a11y draft");
    expect(await readerPage.locator("text=New experience").count()).toBe(0);
    expect(await readerPage.locator("tr", { hasText: "Console a11y draft" }).locator("button").count()).toBe(0);
    await readerPage.click("text=Console a11y draft");
    await readerPage.waitForSelector("text=Your role can read experiences but not change them");
    expect(await readerPage.locator("button:has-text('Publish')").count()).toBe(0);
    await json(`/api/experience/${draft.id}?cid=demo`, "DELETE");
  }, 60_000);
});
