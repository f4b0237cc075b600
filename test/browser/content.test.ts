import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { api, baseUrl, useBrowser } from "./harness";

const open = useBrowser();

const HIKING = ["Ten quiet trails for autumn", "Five waterfall walks worth the climb"];

/** Opens a demo article and waits until its page view is stored. */
async function read(page: Page, slug: string): Promise<void> {
  const stored = page.waitForResponse((r) => /\/c\/demo/.test(r.url()) && r.request().method() === "POST");
  await page.goto(`${baseUrl()}/demo/article-${slug}.html`);
  await stored;
}

/** Filled recommendation blocks (Pathfora drops `data-pfrecommend` from the blocks it shows). */
const FILLED = '.rec[data-pfblock][data-pfmodified="true"]:not([data-pfrecommend])';

/** The titles the inline recommendation blocks show, in page order. */
async function recommended(page: Page): Promise<string[]> {
  await page.waitForSelector(FILLED);
  return page.$$eval(`${FILLED} [data-pftype="title"]`, (els) => els.map((e) => e.textContent ?? ""));
}

/** Titles of the demo articles with a given topic (from the content API). */
async function titlesOf(topic: string): Promise<string[]> {
  const filter = encodeURIComponent(`FILTER topics INTERSECTS ("${topic}") FROM content`);
  const page = await (await api(`/api/content/doc?cid=demo&filter=${filter}`)).json();
  return page.data.map((d: { title: string }) => d.title);
}

describe("content recommendations on the demo site", () => {
  it("shows a new visitor who read two hiking articles the hiking articles they have not read", async () => {
    const { page } = await open();
    await read(page, "hiking");
    await read(page, "waterfalls");
    await page.reload();
    const titles = await recommended(page);
    expect(titles).toHaveLength(3);
    const hiking = await titlesOf("hiking");
    expect(hiking).toHaveLength(4);
    const unread = hiking.filter((t) => !HIKING.includes(t));
    expect(titles.slice(0, 2).sort()).toEqual(unread.sort());
    for (const t of titles) expect(HIKING).not.toContain(t);
    // The default block of a filled slot stays hidden.
    expect(await page.isVisible('[data-pfrecommend="default"]')).toBe(false);
    // The links lead to the articles on this host and port (the API answers scheme-less URLs).
    const hrefs = await page.$$eval(`${FILLED} a[data-pftype="url"]`, (els) => els.map((e) => e.getAttribute("href")));
    expect(hrefs).toHaveLength(3);
    for (const h of hrefs)
      expect(h).toMatch(new RegExp(`^${baseUrl().replace(/[.:/]/g, "\\$&")}/demo/article-[a-z-]+\\.html$`));
    await page.click(`${FILLED} a[data-pftype="url"]`);
    await page.waitForURL(hrefs[0]!);
  });

  it("shows a visitor who read coffee articles coffee first", async () => {
    const { page } = await open();
    await read(page, "coffee");
    await read(page, "grinders");
    await page.reload();
    const titles = await recommended(page);
    const coffee = await titlesOf("coffee");
    expect(coffee).toContain(titles[0]);
    expect(coffee).toContain(titles[1]);
    expect(titles).not.toContain("Burr or blade: choosing a coffee grinder");
    expect(titles).not.toContain("Why your espresso tastes sour");
  });
});
