import { describe, expect, it } from "vitest";
import { api, baseUrl, useBrowser } from "./harness";
import type { Page } from "playwright-core";

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

const HEADLINE = "Trail guides for trail lovers";

/** Opens a page of the demo site and waits for the entity (the runtime waits for it too). */
async function visit(page: Page, file: string): Promise<void> {
  await page.goto(`${baseUrl()}/demo/${file}`);
  await page.waitForFunction(() => !!(window as any).jstag?.getEntity?.());
}

/** Whether the experience's widget is on the page after the runtime had its chance (2.5 s). */
async function widgetShown(page: Page): Promise<boolean> {
  try {
    await page.getByText(HEADLINE).first().waitFor({ state: "visible", timeout: 4000 });
    return true;
  } catch {
    return false;
  }
}

describe("experiences on the demo site", () => {
  it("shows a published experience to its audience on the next load, counts it, and pausing removes it", async () => {
    await json("/v2/segment?cid=demo", "POST", {
      slug_name: "trail_lovers",
      segment_ql: "FILTER AND (hiking_views >= 2) FROM user",
      is_public: true,
    });
    const exp = await json("/api/experience?cid=demo", "POST", {
      name: "Trail guides",
      tactic: "present_message",
      status: "published",
      targeting: { include: ["trail_lovers"] },
      variations: [
        {
          widget: {
            layout: "slideout",
            position: "bottom-right",
            headline: HEADLINE,
            msg: "Ten quiet trails for autumn",
            okMessage: "Show me",
          },
        },
      ],
    });
    // The served tag's "has experiences" flag is cached for a few seconds per isolate.
    await new Promise((r) => setTimeout(r, 5500));

    const { page: stranger } = await open();
    await visit(stranger, "index.html");
    await visit(stranger, "index.html");
    expect(await widgetShown(stranger)).toBe(false);

    const { page: fan } = await open();
    await visit(fan, "article-hiking.html");
    expect(await widgetShown(fan)).toBe(false);
    await visit(fan, "article-waterfalls.html");
    await visit(fan, "index.html");
    expect(await widgetShown(fan)).toBe(true);
    await fan.locator(".pf-widget-ok").first().click();
    await fan.evaluate(() => new Promise((done) => (window as any).jstag.flush().then(done, done)));

    let report: any;
    for (let i = 0; i < 50; i++) {
      report = await json(`/api/experience/${exp.id}/report?cid=demo`);
      if (report.variations[0].conversions >= 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(report.variations[0]).toMatchObject({ id: "a", reach: 1, conversions: 1, conversion_rate: 1 });

    await json(`/api/experience/${exp.id}?cid=demo`, "PATCH", { status: "paused" });
    await visit(fan, "index.html");
    expect(await widgetShown(fan)).toBe(false);
    await json(`/api/experience/${exp.id}?cid=demo`, "DELETE");
  }, 90_000);
});
