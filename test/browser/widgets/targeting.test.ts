import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, useBrowser } from "../harness";
import { openFixture, present, sent, shown } from "./helpers";

const open = useBrowser();

const ids = (page: Page) => page.evaluate(() => [...document.querySelectorAll(".pf-widget")].map((e) => e.id).sort());
const w = (id: string, extra = "") =>
  `new pathfora.Message({ id: "${id}", layout: "slideout", headline: "${id}", msg: "m"${extra} })`;

describe("targeting and personalization", () => {
  it("target by audience, exclude, common; inverse when nothing matched", async () => {
    const { page } = await open();
    await openFixture(page, {
      setup: `window.__segments = ["all", "coffee_lovers", "churn_risk"]; window.__entityDelay = 1500;`,
      init: `var a = ${w("for-coffee")}, b = ${w("for-tea")}, c = ${w("everyone")}, d = ${w("not-churn")}, e = ${w("fallback")};
        pathfora.initializeWidgets({
          target: [{ segment: "coffee_lovers", widgets: [a] }, { segment: "tea_lovers", widgets: [b] }, { segment: "all", widgets: [d] }],
          exclude: [{ segment: "churn_risk", widgets: [d] }],
          common: [c],
          inverse: [e]
        });`,
    });
    await shown(page, "everyone");
    // targeted widgets wait for the profile
    expect(await present(page, "for-coffee")).toBe(false);
    await shown(page, "for-coffee");
    await page.waitForTimeout(200);
    expect(await ids(page)).toEqual(["everyone", "for-coffee"]);

    const { page: p2 } = await open();
    await openFixture(p2, {
      setup: `window.__segments = ["all"];`,
      init: `pathfora.initializeWidgets({ target: [{ segment: "vip", widgets: [${w("vip")}] }], inverse: [${w("fallback")}] });`,
    });
    await shown(p2, "fallback");
    expect(await ids(p2)).toEqual(["fallback"]);
  });

  it("rule targeting with pathfora.rules over profile fields", async () => {
    const { page } = await open();
    await openFixture(page, {
      setup: `window.__user = { plan: "gold", visits: "12", tags: ["a", "b"] };`,
      init: `var r = pathfora.rules;
        pathfora.initializeWidgets({ target: [
          { rule: r.eq("plan", "gold"), widgets: [${w("gold")}] },
          { rule: r.gt("visits", 20), widgets: [${w("frequent")}] },
          { rule: r.includes("tags", "b"), widgets: [${w("tag-b")}] },
          { rule: r.inSegment("all"), widgets: [${w("in-all")}] },
          { rule: function (u) { return u.plan === "silver"; }, widgets: [${w("silver")}] }
        ] });`,
    });
    await shown(page, "gold");
    await page.waitForTimeout(200);
    expect(await ids(page)).toEqual(["gold", "in-all", "tag-b"]);
  });

  it('priority "ordered" shows only the first widget that qualifies', async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `pathfora.initializeWidgets([
          ${w("not-today", `, displayConditions: { showOnInit: false }`)},
          ${w("first-valid")},
          ${w("second-valid")}
        ], null, { priority: "ordered" });
        pathfora.initializeWidgets([${w("u1")}, ${w("u2")}], null, { priority: "unordered" });`,
    });
    await shown(page, "first-valid");
    await page.waitForTimeout(200);
    expect(await ids(page)).toEqual(["first-valid", "u1", "u2"]);
    expect(
      await page.evaluate(() => {
        try {
          (window as any).pathfora.initializeWidgets([], null, { priority: "random" });
        } catch (e) {
          return (e as Error).message;
        }
      }),
    ).toBe("Invalid priority defined in options.");
  });

  it("entity templates fill headline, msg and image from the profile, with defaults; missing fields hide the widget", async () => {
    const { page } = await open();
    await openFixture(page, {
      setup: `window.__user = { name: "Ada <script>x</script>", company: { name: "Analytical" }, avatar: "/static/ada.png" }; window.__entityDelay = 150;`,
      init: `pathfora.customData = { city: "London" };
        pathfora.initializeWidgets([
          new pathfora.Message({ id: "hello", layout: "slideout", variant: 2, headline: "Hi {{name}}!", msg: "From {{company.name}} in {{city}}, {{title | friend}}", image: "{{avatar}}" }),
          new pathfora.Message({ id: "missing", layout: "slideout", position: "bottom-right", headline: "Hi {{nickname}}", msg: "m" }),
          new pathfora.Message({ id: "missing-ok", layout: "slideout", position: "top-right", headline: "Hi {{nickname}}", msg: "m", displayConditions: { showOnMissingFields: true } })
        ]);`,
    });
    await shown(page, "hello");
    expect(await page.locator("#hello .pf-widget-headline").textContent()).toBe("Hi Ada <script>x</script>!");
    expect(await page.locator("#hello script").count()).toBe(0);
    expect(await page.locator("#hello .pf-widget-message").textContent()).toBe("From Analytical in London, friend");
    expect(await page.locator("#hello img").getAttribute("src")).toBe(baseUrl() + "/static/ada.png");
    await shown(page, "missing-ok");
    expect(await page.locator("#missing-ok .pf-widget-headline").textContent()).toBe("Hi ");
    expect(await present(page, "missing")).toBe(false);
  });

  it("A/B tests: one sticky group per visitor, and that group is the one shown", async () => {
    const groups: Record<string, number> = {};
    for (let i = 0; i < 6; i++) {
      const { page } = await open();
      await openFixture(page, {
        path: "/fixtures/ab.html",
        init: `var t = new pathfora.ABTest({ id: "hero", type: "50/50", groups: [[${w("variant-a")}], [${w("variant-b")}]] });
          pathfora.initializeABTesting([t]);
          pathfora.initializeWidgets([t.groups[0][0], t.groups[1][0]]);`,
      });
      await page.locator(".pf-widget.opened").first().waitFor();
      const seen = await ids(page);
      expect(seen).toHaveLength(1);
      const value = Number(JSON.parse((await page.evaluate(() => localStorage.getItem("PathforaTest_hero")))!).$);
      expect(seen[0]).toBe(value < 0.5 ? "variant-a" : "variant-b");
      groups[seen[0]!] = (groups[seen[0]!] ?? 0) + 1;
      await page.reload();
      await page.locator(".pf-widget.opened").first().waitFor();
      expect(await ids(page)).toEqual(seen);
    }
    // a stored bucket from Pathfora decides: 0.9 with 80/20 is the second group
    const { page } = await open();
    await openFixture(page, {
      setup: `localStorage.setItem("PathforaTest_split", JSON.stringify({ $: "0.9", "@": new Date(Date.now() + 1e9).toISOString() }));`,
      init: `var t = new pathfora.ABTest({ id: "split", type: "80/20", groups: [[${w("big")}], [${w("small")}]] });
        pathfora.initializeABTesting([t]); pathfora.initializeWidgets([t.groups[0][0], t.groups[1][0]]);`,
    });
    await shown(page, "small");
    expect(await ids(page)).toEqual(["small"]);
    expect(Object.values(groups).reduce((a, b) => a + b)).toBe(6);
  });

  it("inline personalization: data-pftrigger groups and defaults, data-pfrecommend blocks, rescanned after pushState", async () => {
    const { page } = await open();
    await page.route(`${baseUrl()}/api/content/recommend/**`, (route) => {
      const seg = new URL(route.request().url()).searchParams.get("contentsegment");
      if (seg !== "blog") return route.fulfill({ status: 503, body: "" });
      return route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          data: [
            {
              url: "https://example.com/one",
              title: "One <i>x</i>",
              description: "First",
              primary_image: "https://example.com/1.png",
              author: "Ann",
              created: "2024-01-02T00:00:00Z",
            },
            { url: "javascript:alert(1)", title: "Bad" },
            { url: "https://example.com/three", title: "Three" },
          ],
        }),
      });
    });
    await page.route("https://example.com/**", (r) =>
      r.fulfill({ contentType: "image/gif", body: Buffer.from("R0lGODlhAQABAAAAACw=", "base64") }),
    );
    await openFixture(page, {
      setup: `window.__segments = ["all", "coffee"];`,
      body: `
        <div data-pftrigger="tea" data-pfgroup="hero">Tea hero</div>
        <div data-pftrigger="coffee" data-pfgroup="hero">Coffee hero</div>
        <div data-pftrigger="all" data-pfgroup="hero">All hero</div>
        <div data-pftrigger="default" data-pfgroup="hero">Default hero</div>
        <div data-pftrigger="vip" data-pfgroup="side">VIP side</div>
        <div data-pftrigger="default" data-pfgroup="side">Default side</div>
        <div data-pftrigger="coffee">Loose coffee</div>
        <div data-pftrigger="all">Loose all</div>
        <article data-pfrecommend="blog" data-pfblock="a" class="rec"><a data-pftype="url"><span data-pftype="title">t</span></a><img data-pftype="image" alt=""><p data-pftype="description"></p><span data-pftype="author"></span></article>
        <article data-pfrecommend="blog" data-pfblock="b" class="rec"><span data-pftype="title">t</span><span data-pftype="url"></span></article>
        <article data-pfrecommend="default" data-pfblock="b" class="rec">Default b</article>
        <article data-pfrecommend="default" data-pfblock="c" class="rec">Default c</article>
        <article data-pfrecommend="broken" data-pfblock="d" class="rec">Broken d</article>
        <div id="spa"></div>`,
    });
    await page.locator("text=Coffee hero").waitFor();
    const visible = () =>
      page.evaluate(() =>
        [...document.querySelectorAll("main > *")]
          .filter((e) => (e as HTMLElement).offsetParent !== null && e.tagName !== "H1" && e.id !== "spa")
          .map((e) => e.textContent!.trim()),
      );
    await page.locator("article >> text=One <i>x</i>").waitFor();
    expect(await visible()).toEqual([
      "Coffee hero",
      "Default side",
      "Loose coffee",
      "Loose all",
      expect.stringMatching(/^One <i>x<\/i>\s*First\s*Ann$/),
      expect.stringMatching(/^Three\s*https:\/\/example.com\/three$/),
      "Default c",
    ]);
    const a = page.locator("article[data-pfblock=a]");
    expect(await a.locator("a").getAttribute("href")).toBe("https://example.com/one");
    expect(await a.locator("img").getAttribute("src")).toBe("https://example.com/1.png");
    expect(await a.locator("[data-pftype=author]").textContent()).toBe("Ann");
    expect(await a.getAttribute("data-pfmodified")).toBe("true");
    expect(await page.locator("article[data-pfblock=b] [data-pftype=url]").textContent()).toBe(
      "https://example.com/three",
    );
    // SPA navigation: new inline elements are processed
    await page.evaluate(() => {
      history.pushState({}, "", "/fixtures/next-page");
      document.getElementById("spa")!.innerHTML =
        '<b data-pftrigger="coffee" data-pfgroup="spa">SPA coffee</b><b data-pftrigger="default" data-pfgroup="spa">SPA default</b>';
    });
    await page.locator("text=SPA coffee").waitFor();
    expect(await page.locator("text=SPA default").isVisible()).toBe(false);
    expect(await page.locator("text=Coffee hero").isVisible()).toBe(true);
    expect(await page.locator("text=Default hero").isVisible()).toBe(false);
    expect(await sent(page)).toEqual([]);
  });
  it("data-pfrecommend links to the scheme-less URLs the content API answers, ports included, on the page's scheme", async () => {
    const { page } = await open();
    await page.route(`${baseUrl()}/api/content/recommend/**`, (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          data: [
            { url: "127.0.0.1:8787/demo/article-trails", title: "Trails" },
            { url: "localhost:8787/demo/article-boots", title: "Boots" },
            { url: "www.example.com/blog/summit", title: "Summit" },
            { url: "javascript:alert(1)", title: "Bad" },
          ],
        }),
      }),
    );
    const block = (b: string) =>
      `<article data-pfrecommend="blog" data-pfblock="${b}" class="rec"><a data-pftype="url"><span data-pftype="title">t</span></a></article>`;
    await openFixture(page, { setup: `window.__segments = ["all"];`, body: ["a", "b", "c", "d"].map(block).join("") });
    await page.locator("article >> text=Summit").waitFor();
    const links = await page.evaluate(() =>
      [...document.querySelectorAll("article.rec")]
        .filter((e) => (e as HTMLElement).offsetParent !== null)
        .map((e) => [e.textContent, e.querySelector("a")!.getAttribute("href")]),
    );
    expect(links).toEqual([
      ["Trails", "http://127.0.0.1:8787/demo/article-trails"],
      ["Boots", "http://localhost:8787/demo/article-boots"],
      ["Summit", "http://www.example.com/blog/summit"],
    ]);
  });
});
