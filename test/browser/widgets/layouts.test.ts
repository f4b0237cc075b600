import { describe, expect, it } from "vitest";
import { baseUrl, useBrowser } from "../harness";
import { eventsOf, openFixture, present, sent, shown } from "./helpers";

const open = useBrowser();

/** Bounding box of an element. */
const box = async (page: import("playwright-core").Page, sel: string) => (await page.locator(sel).boundingBox())!;

describe("widget layouts", () => {
  it("modal: an overlay with a centred dialog, headline, message and both buttons", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1200, height: 800 });
    await openFixture(page, {
      init: `pathfora.initializeWidgets([new pathfora.Message({ id: "m1", layout: "modal", headline: "Hello <b>there</b>", msg: "A message", okMessage: "Sure", cancelMessage: "Later" })]);`,
    });
    await shown(page, "m1");
    const root = page.locator("#m1");
    expect(await root.getAttribute("class")).toBe(
      "pf-widget pf-message pf-widget-modal pf-widget-variant-1 pathfora opened",
    );
    expect(await root.locator(".pf-widget-headline").innerHTML()).toBe("Hello <b>there</b>");
    expect(await root.locator(".pf-widget-ok").textContent()).toBe("Sure");
    expect(await root.locator(".pf-widget-cancel").textContent()).toBe("Later");
    const overlay = await box(page, "#m1");
    expect(overlay).toMatchObject({ x: 0, y: 0, width: 1200, height: 800 });
    const card = await box(page, "#m1 .pf-widget-content");
    expect(Math.abs(card.x + card.width / 2 - 600)).toBeLessThan(2);
    expect(Math.abs(card.y + card.height / 2 - 400)).toBeLessThan(2);
    await root.locator(".pf-widget-cancel").click();
    await root.waitFor({ state: "hidden" });
    expect(await eventsOf(page, "m1")).toEqual(["show", "hover", "cancel"]);
  });

  it("slideout: every position places the card where Pathfora does", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1200, height: 800 });
    const positions = ["bottom-left", "bottom-right", "left", "right", "top-left", "top-right"];
    await openFixture(page, {
      init: `pathfora.initializeWidgets(${JSON.stringify(positions)}.map(function (p) { return new pathfora.Message({ id: "s-" + p, layout: "slideout", position: p, headline: p, msg: "m" }); }));`,
    });
    for (const p of positions) await shown(page, `s-${p}`);
    await page.waitForTimeout(400);
    const b = Object.fromEntries(
      await Promise.all(positions.map(async (p) => [p, await box(page, `#s-${p}`)] as const)),
    );
    expect(b["bottom-left"]!.x).toBe(50);
    expect(b["bottom-left"]!.y + b["bottom-left"]!.height).toBe(750);
    expect(b["bottom-right"]!.x + b["bottom-right"]!.width).toBe(1150);
    expect(b["top-left"]!.y).toBe(50);
    expect(b["top-right"]!.y).toBe(50);
    expect(b["left"]!.x).toBe(50);
    expect(b["right"]!.x + b["right"]!.width).toBe(1150);
    expect(b["left"]!.y).toBeGreaterThan(100);
    expect(await page.locator("#s-left").getAttribute("class")).toContain("pf-position-left");
    // default position
    await page.evaluate(() =>
      (window as any).pathfora.initializeWidgets([
        new (window as any).pathfora.Message({ id: "s-default", layout: "slideout", msg: "x" }),
      ]),
    );
    await shown(page, "s-default");
    expect(await page.locator("#s-default").getAttribute("class")).toContain("pf-position-bottom-left");
  });

  it("bar: top-absolute by default, fixed top and bottom, pushDown moves the page", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1000, height: 700 });
    await openFixture(page, {
      body: `<header id="site-header">Site header</header><div style="height:3000px"></div>`,
      init: `pathfora.initializeWidgets([
        new pathfora.Message({ id: "b-top", layout: "bar", msg: "Top bar", pushDown: "#site-header" }),
        new pathfora.Message({ id: "b-bottom", layout: "bar", position: "bottom-fixed", msg: "Bottom bar", cancelShow: false })
      ]);`,
    });
    await shown(page, "b-top");
    await shown(page, "b-bottom");
    await page.waitForTimeout(400);
    expect(await page.locator("#b-top").getAttribute("class")).toContain("pf-position-top-absolute");
    expect(await box(page, "#b-top")).toMatchObject({ x: 0, y: 0, width: 1000 });
    const bottom = await box(page, "#b-bottom");
    expect(bottom.y + bottom.height).toBe(700);
    expect(await page.locator("#b-bottom .pf-widget-cancel").count()).toBe(0);
    // Pathfora's bar markup: no headline; the region is labelled by the message
    expect(await page.locator("#b-top .pf-widget-headline").count()).toBe(0);
    expect(await page.locator("#b-top > .pf-bar-content > p.pf-widget-message").textContent()).toBe("Top bar");
    expect(await page.locator("#b-top > .pf-bar-content > span > .pf-widget-ok").count()).toBe(1);
    expect(await page.locator("#b-top").getAttribute("role")).toBe("region");
    expect(await page.locator("#b-top").getAttribute("aria-labelledby")).toBe("b-top-m");
    const header = page.locator("#site-header");
    expect(await header.getAttribute("class")).toBe("pf-push-down opened");
    expect(await header.evaluate((e) => getComputedStyle(e).marginTop)).toBe("59px");
    await page.locator("#b-top .pf-widget-close").click();
    await page.locator("#b-top").waitFor({ state: "hidden" });
    expect(await header.getAttribute("class")).toBe("pf-push-down");
    // bottom bar stays fixed when scrolling; top-absolute scrolls away
    await page.mouse.wheel(0, 500);
    await page.waitForTimeout(100);
    const after = await box(page, "#b-bottom");
    expect(after.y + after.height).toBe(700);
  });

  it("button: a tab at each position; a click confirms and runs onClick", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1000, height: 700 });
    await openFixture(page, {
      init: `window.clicks = [];
      pathfora.initializeWidgets([
        new pathfora.Message({ id: "btn-tl", layout: "button", msg: "Feedback", onClick: function (ev, p) { clicks.push([ev, p.config.id]); } }),
        new pathfora.Message({ id: "btn-br", layout: "button", position: "bottom-right", msg: "Chat" }),
        new pathfora.Message({ id: "btn-l", layout: "button", position: "left", msg: "Side" })
      ]);`,
    });
    for (const id of ["btn-tl", "btn-br", "btn-l"]) await shown(page, id);
    await page.waitForTimeout(400);
    const tl = await box(page, "#btn-tl");
    expect(tl).toMatchObject({ x: 42, y: 0 });
    const br = await box(page, "#btn-br");
    expect(br.x + br.width).toBe(958);
    expect(br.y + br.height).toBe(700);
    const side = await box(page, "#btn-l");
    expect(side.x).toBe(0);
    expect(side.height).toBeGreaterThan(side.width); // rotated
    await page.getByRole("button", { name: "Feedback" }).click();
    await page.locator("#btn-tl").waitFor({ state: "hidden" });
    expect(await page.evaluate(() => (window as any).clicks)).toEqual([["buttonClicked", "btn-tl"]]);
    expect(await eventsOf(page, "btn-tl")).toEqual(["show", "hover", "confirm"]);
  });

  it("inline: rendered into positionSelector, in the page flow, without a close button", async () => {
    const { page } = await open();
    await openFixture(page, {
      body: `<section id="slot"><p>Before</p></section>`,
      init: `pathfora.initializeWidgets([new pathfora.Message({ id: "in1", layout: "inline", positionSelector: "#slot", headline: "Inline", msg: "In the flow" }),
        new pathfora.Message({ id: "in2", layout: "inline", positionSelector: "#missing", msg: "nowhere" })]);`,
    });
    await shown(page, "in1");
    expect(await page.evaluate(() => document.getElementById("in1")!.parentElement!.id)).toBe("slot");
    expect(await page.locator("#in1").evaluate((e) => getComputedStyle(e).position)).toBe("relative");
    expect(await page.locator("#in1 .pf-widget-close").count()).toBe(0);
    expect(await page.locator("#in1 .pf-widget-cancel").count()).toBe(0);
    // confirming an inline message keeps it in place
    await page.locator("#in1 .pf-widget-ok").click();
    expect(await present(page, "in1")).toBe(true);
    expect(await present(page, "in2")).toBe(false);
  });

  it("variant 2 shows the image; unsafe image URLs are dropped", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `pathfora.initializeWidgets([
        new pathfora.Message({ id: "v2", layout: "slideout", variant: "2", headline: "Pic", msg: "m", image: "/static/img.png" }),
        new pathfora.Message({ id: "v2bad", layout: "slideout", position: "bottom-right", variant: 2, headline: "Bad", msg: "m", image: "javascript:alert(1)" }),
        new pathfora.Message({ id: "v1img", layout: "slideout", position: "top-left", headline: "No", msg: "m", image: "/static/img.png" })
      ]);`,
    });
    await shown(page, "v2");
    expect(await page.locator("#v2 img.pf-widget-img").getAttribute("src")).toBe(baseUrl() + "/static/img.png");
    expect(await page.locator("#v2 img.pf-widget-img").getAttribute("alt")).toBe("");
    expect(await page.locator("#v2").getAttribute("class")).toContain("pf-widget-variant-2");
    expect(await page.locator("#v2bad img").count()).toBe(0);
    // as in Pathfora, the image is in the markup of every variant but shows only in variant 2
    expect(await page.locator("#v1img .pf-widget-body > img.pf-widget-img").isHidden()).toBe(true);
  });

  it("themes: light by default, dark, custom colours, className; responsive:false hides on small screens", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1200, height: 900 });
    await openFixture(page, {
      init: `pathfora.initializeWidgets([
        new pathfora.Message({ id: "t-light", layout: "slideout", position: "top-left", headline: "Light", msg: "m" }),
        new pathfora.Message({ id: "t-dark", layout: "slideout", position: "top-right", theme: "dark", headline: "Dark", msg: "m" }),
        new pathfora.Message({ id: "t-custom", layout: "slideout", position: "bottom-left", theme: "custom", className: "my-brand",
          colors: { background: "rgb(10, 20, 30)", headline: "rgb(250, 200, 100)", text: "rgb(240, 240, 240)", actionText: "rgb(0, 0, 0)", actionBackground: "rgb(255, 215, 0)", cancelText: "rgb(255, 255, 255)", cancelBackground: "rgb(60, 60, 60)", close: "rgb(200, 200, 200)" },
          headline: "Custom", msg: "m" }),
        new pathfora.Message({ id: "t-desktop", layout: "slideout", position: "bottom-right", responsive: false, headline: "Desktop only", msg: "m" })
      ]);`,
    });
    for (const id of ["t-light", "t-dark", "t-custom", "t-desktop"]) await shown(page, id);
    const style = (sel: string, prop: string) =>
      page.locator(sel).evaluate((e, p) => getComputedStyle(e).getPropertyValue(p), prop);
    expect(await style("#t-light", "background-color")).toBe("rgb(241, 241, 241)");
    expect(await style("#t-dark", "background-color")).toBe("rgb(51, 51, 51)");
    expect(await style("#t-dark .pf-widget-headline", "color")).toBe("rgb(254, 254, 254)");
    expect(await page.locator("#t-dark").getAttribute("class")).toContain("pf-theme-dark");
    expect(await style("#t-custom", "background-color")).toBe("rgb(10, 20, 30)");
    expect(await style("#t-custom .pf-widget-headline", "color")).toBe("rgb(250, 200, 100)");
    expect(await style("#t-custom .pf-widget-message", "color")).toBe("rgb(240, 240, 240)");
    expect(await style("#t-custom .pf-widget-ok", "background-color")).toBe("rgb(255, 215, 0)");
    expect(await style("#t-custom .pf-widget-cancel", "color")).toBe("rgb(255, 255, 255)");
    expect(await style("#t-custom .pf-widget-close", "color")).toBe("rgb(200, 200, 200)");
    expect(await page.locator("#t-custom").getAttribute("class")).toContain("my-brand");
    // no style attribute strings: colours are custom properties set through the CSSOM
    expect(await page.locator("#t-custom").getAttribute("style")).toContain("--pf-background");
    expect(await page.locator("#t-desktop").isVisible()).toBe(true);
    await page.setViewportSize({ width: 400, height: 700 });
    expect(await page.locator("#t-desktop").isVisible()).toBe(false);
    expect(await page.locator("#t-light").isVisible()).toBe(true);
  });

  it("variant 3 shows the visitor's recommendation from the edge, and nothing when the endpoint fails", async () => {
    const { page } = await open();
    const requests: string[] = [];
    await page.route("https://img.example.com/**", (route) =>
      route.fulfill({ contentType: "image/gif", body: Buffer.from("R0lGODlhAQABAAAAACw=", "base64") }),
    );
    await page.route(`${baseUrl()}/api/content/recommend/**`, (route) => {
      requests.push(route.request().url());
      const url = new URL(route.request().url());
      if (url.searchParams.get("contentsegment") === "broken") return route.fulfill({ status: 500, body: "boom" });
      return route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          data: [
            {
              url: "example.com/articles/coffee",
              title: "Coffee <b>guide</b>",
              description: "All about beans and brewing for people who like coffee a lot more than they should",
              primary_image: "https://img.example.com/coffee.jpg",
              author: "Ada",
              created: "2024-03-05T12:00:00Z",
              confidence: 0.9,
              visited: false,
            },
          ],
        }),
      });
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && !m.text().includes("500") && errors.push(m.text()));
    await openFixture(page, {
      init: `pathfora.initializeWidgets([
        new pathfora.Message({ id: "rec", layout: "modal", variant: "3", headline: "Read next", msg: "For you", recommend: { collection: "blog", rank: "affinity", limit: 1, visited: false, display: { author: true, date: true, descriptionLimit: 40, locale: "en-US", dateOptions: { year: "numeric", month: "long", day: "numeric" } } } }),
        new pathfora.Message({ id: "rec-broken", layout: "slideout", variant: "3", msg: "x", recommend: { collection: "broken" } })
      ]);`,
    });
    await shown(page, "rec");
    const unit = page.locator("#rec a.pf-content-unit");
    expect(await unit.getAttribute("href")).toBe("http://example.com/articles/coffee");
    expect(await unit.locator("h4").textContent()).toBe("Coffee <b>guide</b>");
    expect(await unit.locator(".pf-content-unit-info").textContent()).toBe("by Ada | March 5, 2024");
    expect(await unit.locator("p").textContent()).toBe("All about beans and brewing for people...");
    // Pathfora's content unit: the image as the background of div.pf-content-unit-img
    expect(await unit.locator("div.pf-content-unit-img").evaluate((e) => getComputedStyle(e).backgroundImage)).toBe(
      'url("https://img.example.com/coffee.jpg")',
    );
    const first = new URL(requests.find((r) => r.includes("contentsegment=blog"))!);
    expect(first.pathname).toBe("/api/content/recommend/demo/user/_uids/visitor-1");
    expect(Object.fromEntries(first.searchParams)).toEqual({
      limit: "1",
      rank: "affinity",
      visited: "false",
      contentsegment: "blog",
    });
    await page.waitForTimeout(300);
    expect(await present(page, "rec-broken")).toBe(false);
    expect(await eventsOf(page, "rec-broken")).toEqual([]);
    expect(errors).toEqual([]);
    await unit.hover();
    expect((await sent(page, "rec")).at(-1)).toMatchObject({
      "pf-widget-event": "hover",
      "pf-widget-action": "content recommendation",
    });
    await page.evaluate(() => document.addEventListener("click", (e) => e.preventDefault()));
    await unit.click();
    expect((await sent(page, "rec")).at(-1)).toMatchObject({
      "pf-widget-event": "confirm",
      "pf-widget-action": "content recommendation",
      "pf-widget-variant": "3",
    });
  });
});
