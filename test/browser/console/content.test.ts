import { describe, expect, it } from "vitest";
import { baseUrl, useBrowser } from "../harness";
import { collectErrors, signIn } from "./sign-in";

const open = useBrowser();

describe("console: content", () => {
  it("lists documents with topics, searches, filters by topic and edits a document's topics", async () => {
    const { page } = await open();
    const errors = collectErrors(page);
    await signIn(page, "#content");
    await page.waitForSelector("td >> text=Ten quiet trails for autumn");
    await page.fill("#doc-q", "grinder");
    await page.click("button:text-is('Search')");
    await expect.poll(() => page.$$eval("table[aria-label=Documents] tbody tr", (rows) => rows.length)).toBe(1);
    expect(await page.textContent("table[aria-label=Documents]")).toContain("Burr or blade: choosing a coffee grinder");

    await page.fill("#doc-q", "");
    await page.fill("#doc-topic", "cycling");
    await page.click("button:text-is('Search')");
    await page.waitForSelector("td >> text=Gravel riding for road cyclists");
    const titles = await page.$$eval("table[aria-label=Documents] tbody tr strong", (els) =>
      els.map((e) => e.textContent),
    );
    expect(titles.sort()).toEqual([
      "Commuting by bike in the rain",
      "Fix a flat bike tyre in ten minutes",
      "Gravel riding for road cyclists",
      "Planning a week of bike touring",
    ]);

    await page.click("[aria-label='Edit topics of Fix a flat bike tyre in ten minutes']");
    await page.fill("#topic-edit", "cycling, maintenance");
    await page.click("text=Save topics");
    await page.waitForSelector("tr:has-text('Fix a flat bike tyre') .pill:has-text('maintenance 1.00')");
    expect(await page.textContent("tr:has-text('Fix a flat bike tyre')")).toContain("set by hand");
    await page.click("[aria-label='Edit topics of Fix a flat bike tyre in ten minutes']");
    await page.click("text=Use extracted topics");
    await page.waitForSelector("tr:has-text('Fix a flat bike tyre') .pill:has-text('repairs')");
    expect(errors).toEqual([]);
  });

  it("imports a CSV file of documents, shows the job reach done and names the bad line", async () => {
    const { page } = await open();
    const errors = collectErrors(page);
    await signIn(page, "#content");
    const csv = [
      "url,title,description,topics",
      "https://bakery.example/sourdough-starter,Sourdough starter from scratch,Flour water and patience,baking|bread",
      "not a url,Broken row,,baking",
      "https://bakery.example/rye-loaf,A dense rye loaf,Rye and caraway,baking|bread",
    ].join("\n");
    await page.setInputFiles("#csv-file", { name: "bakery.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.click("button:text-is('Import')");
    const current = "[aria-label='Current import']";
    await page.waitForSelector(`${current} >> text=/CSV import — done: \\d+ of \\d+ bytes/`);
    expect(await page.textContent(current)).toContain("2 documents imported, 1 line skipped");
    const skipped = await page.$$eval("table[aria-label='Skipped lines'] tbody tr", (rows) =>
      rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim())),
    );
    expect(skipped).toHaveLength(1);
    expect(skipped[0]![0]).toBe("3");
    expect(skipped[0]![1]).toContain("url");

    // The recent imports list the job; the document list shows what it imported.
    expect(await page.textContent("table[aria-label='Recent imports']")).toContain("2 documents imported");
    await page.fill("#doc-q", "bakery.example");
    await page.click("button:text-is('Search')");
    await expect
      .poll(() =>
        page.$$eval("table[aria-label=Documents] tbody tr strong", (els) => els.map((e) => e.textContent).sort()),
      )
      .toEqual(["A dense rye loaf", "Sourdough starter from scratch"]);
    expect(await page.textContent("tr:has-text('A dense rye loaf')")).toContain("import");
    expect(errors).toEqual([]);
  });

  it("previews a hiking reader's recommendations and says why each ranked", async () => {
    const visitor = await open();
    for (const slug of ["hiking", "waterfalls"]) {
      const stored = visitor.page.waitForResponse((r) => /\/c\/demo/.test(r.url()) && r.request().method() === "POST");
      await visitor.page.goto(`${baseUrl()}/demo/article-${slug}.html`);
      await stored;
    }
    const uid = (await visitor.context.cookies()).find((c) => c.name === "_uid")?.value;
    expect(uid).toBeTruthy();

    const { page } = await open();
    const errors = collectErrors(page);
    await signIn(page, "#content");
    await page.click("text=Recommendation preview");
    await page.fill("#rec-value", uid!);
    await expect
      .poll(
        async () => {
          await page.click("button:text-is('Preview')");
          await page.waitForSelector("section[aria-label=Recommendations]");
          return page.textContent("section[aria-label=Recommendations]");
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain("2 documents read");
    const first = await page.textContent("ol.recommendations > li:first-child");
    expect(first).toMatch(/alpine summit|Backpacking light/);
    expect(first).toContain("interest in hiking");
    const all = await page.textContent("ol.recommendations");
    expect(all).not.toContain("Ten quiet trails for autumn"); // already read
    expect(errors).toEqual([]);
  });
});
