import { describe, expect, it } from "vitest";
import { api, useBrowser } from "./harness";
import { entityLoaded, openPage, tagPage } from "./pages";

const open = useBrowser();

describe("audiences in the browser", () => {
  it("a visitor qualifies through tag events; the next page knows it from the cache first", async () => {
    const res = await api("/v2/segment?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        slug_name: "newsletter_fans",
        segment_ql: `FILTER AND (newsletter = "yes", visitct >= 1)`,
        is_public: true,
      }),
    });
    expect(res.status).toBe(201);
    const { page } = await open();
    await openPage(page, tagPage(), "aud1");
    await entityLoaded(page);
    expect(await page.evaluate(() => (window as any).jstag.getSegments())).toEqual(["all"]);
    await page.evaluate(() => new Promise((done) => (window as any).jstag.send({ newsletter: "yes" }, done)));
    const entity = await page.evaluate(() => (window as any).jstag.loadEntity());
    expect(entity.data.user.segments).toEqual(["all", "newsletter_fans"]);
    // Next page: the edge is slow; the cached audiences answer at once.
    await page.route("**/personalize?**", () => new Promise(() => {}));
    await openPage(page, tagPage({ before: "window.early = jstag.getSegments();" }), "aud2");
    expect(await page.evaluate(() => (window as any).early)).toEqual(["all", "newsletter_fans"]);
  });
});
