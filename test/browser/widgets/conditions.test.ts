import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowser } from "../harness";
import { eventsOf, openFixture, present, shown } from "./helpers";

const open = useBrowser();

const msg = (id: string, dc: object, extra = "") =>
  `new pathfora.Message({ id: ${JSON.stringify(id)}, layout: "slideout", headline: ${JSON.stringify(id)}, msg: "m", displayConditions: ${JSON.stringify(dc)}${extra} })`;
const init = (...widgets: string[]) => `pathfora.initializeWidgets([${widgets.join(",")}]);`;
const stored = (page: Page, area: "localStorage" | "sessionStorage", key: string) =>
  page.evaluate(([a, k]) => window[a as "localStorage"].getItem(k!), [area, key]);
/** A Pathfora-format localStorage record, as Pathfora 1.2 writes it. */
const record = (value: string) =>
  JSON.stringify({ $: value, "@": new Date(Date.now() + 864e5).toISOString(), PATHFORA: "1.2.20" });

describe("display conditions", () => {
  it("showDelay waits, hideAfter closes without a close event", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `window.t0 = Date.now(); ${init(msg("delayed", { showDelay: 2 }), msg("brief", { hideAfter: 1 }))}`,
    });
    await shown(page, "brief");
    expect(await present(page, "delayed")).toBe(false);
    await page.waitForFunction(() => document.getElementById("delayed"), null, { timeout: 5000 });
    // it appeared no earlier than its delay (measured in the page)
    expect(await page.evaluate(() => Date.now() - (window as any).t0)).toBeGreaterThanOrEqual(2000);
    await shown(page, "delayed", 2000);
    await page.locator("#brief").waitFor({ state: "detached", timeout: 3000 });
    expect(await eventsOf(page, "brief")).toEqual(["show"]);
  });

  it("scrollPercentageToDisplay and displayWhenElementVisible wait for the scroll", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 800, height: 600 });
    await openFixture(page, {
      body: `<div style="height:3000px"></div><p id="target">Target</p><div style="height:3000px"></div>`,
      init: init(
        msg("half", { scrollPercentageToDisplay: 70 }),
        msg("target-seen", { displayWhenElementVisible: "#target" }),
      ),
    });
    await page.waitForTimeout(300);
    expect(await present(page, "half")).toBe(false);
    expect(await present(page, "target-seen")).toBe(false);
    await page.evaluate(() => scrollTo(0, 2900));
    await shown(page, "target-seen");
    expect(await present(page, "half")).toBe(false);
    await page.evaluate(() => scrollTo(0, 4100));
    await shown(page, "half");
  });

  it("showOnExitIntent shows when the pointer leaves through the top", async () => {
    const { page } = await open();
    await openFixture(page, { init: init(msg("exit", { showOnExitIntent: true })) });
    await page.mouse.move(300, 300);
    await page.evaluate(() =>
      document
        .querySelector("h1")!
        .dispatchEvent(new MouseEvent("mouseout", { bubbles: true, clientY: 300, relatedTarget: document.body })),
    );
    await page.waitForTimeout(200);
    expect(await present(page, "exit")).toBe(false);
    await page.evaluate(() =>
      document.documentElement.dispatchEvent(
        new MouseEvent("mouseout", { bubbles: true, clientY: 2, relatedTarget: null }),
      ),
    );
    await shown(page, "exit");
  });

  it("manualTrigger waits for triggerWidgets(ids) or triggerWidgets()", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: init(
        msg("manual-a", { manualTrigger: true }),
        msg("manual-b", { manualTrigger: true }, `, position: "bottom-right"`),
      ),
    });
    await page.waitForTimeout(200);
    expect(await present(page, "manual-a")).toBe(false);
    await page.evaluate(() => (window as any).pathfora.triggerWidgets(["other"]));
    await page.waitForTimeout(100);
    expect(await present(page, "manual-a")).toBe(false);
    await page.evaluate(() => (window as any).pathfora.triggerWidgets(["manual-a"]));
    await shown(page, "manual-a");
    expect(await present(page, "manual-b")).toBe(false);
    await page.evaluate(() => (window as any).pathfora.triggerWidgets());
    await shown(page, "manual-b");
  });

  it("pageVisits counts page views in PathforaPageView", async () => {
    const { page } = await open();
    await openFixture(page, { path: "/fixtures/visits.html", init: init(msg("third-visit", { pageVisits: 3 })) });
    await page.waitForTimeout(200);
    expect(await present(page, "third-visit")).toBe(false);
    expect(JSON.parse((await stored(page, "localStorage", "PathforaPageView"))!).$).toBe("1");
    await page.reload();
    await page.waitForTimeout(200);
    expect(await present(page, "third-visit")).toBe(false);
    await page.reload();
    await shown(page, "third-visit");
  });

  it("date start_at/end_at, showOnInit:false, metaContains", async () => {
    const { page } = await open();
    const day = 864e5;
    const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
    await openFixture(page, {
      head: `<meta name="section" content="coffee">`,
      init: init(
        msg("future", { date: { start_at: iso(day) } }),
        msg("past", { date: { end_at: iso(-day) } }),
        msg("now", { date: { start_at: iso(-day), end_at: iso(day) } }),
        msg("off", { showOnInit: false }),
        msg("meta-yes", { metaContains: [{ name: "section", content: "coffee" }] }, `, position: "bottom-right"`),
        msg("meta-no", { metaContains: [{ name: "section", content: "tea" }] }),
      ),
    });
    await shown(page, "now");
    await shown(page, "meta-yes");
    for (const id of ["future", "past", "off", "meta-no"]) expect(await present(page, id)).toBe(false);
  });

  it("urlContains: simple, exact, regex, substring with query, plain strings and exclude", async () => {
    const { page } = await open();
    await openFixture(page, {
      path: "/fixtures/shop/coffee/?utm_source=mail&ref=7",
      init: init(
        msg("simple", { urlContains: [{ match: "simple", value: "127.0.0.1/fixtures/shop/coffee" }] }),
        msg("simple-no", { urlContains: [{ match: "simple", value: "127.0.0.1/fixtures/shop" }] }),
        msg("exact-no", { urlContains: [{ match: "exact", value: "/fixtures/shop/coffee/" }] }),
        msg("regex", { urlContains: [{ match: "regex", value: "shop/(coffee|tea)" }] }),
        msg("substring-query", { urlContains: [{ match: "substring", value: "shop?ref=7" }] }),
        msg("substring-query-no", { urlContains: [{ match: "substring", value: "shop?ref=8" }] }),
        msg("plain", { urlContains: ["coffee"] }),
        msg("excluded", {
          urlContains: [
            { match: "substring", value: "shop" },
            { match: "substring", value: "utm_source=mail", exclude: true },
          ],
        }),
        msg("only-exclude", { urlContains: [{ match: "substring", value: "/tea", exclude: true }] }),
        msg("star", { urlContains: ["*"] }),
      ),
    });
    await shown(page, "star");
    const exact = `${new URL(page.url()).origin}/fixtures/shop/coffee/?utm_source=mail&ref=7`;
    await page.evaluate(
      (v) =>
        (window as any).pathfora.initializeWidgets([
          new (window as any).pathfora.Message({
            id: "exact",
            layout: "slideout",
            msg: "m",
            displayConditions: { urlContains: [{ match: "exact", value: v }] },
          }),
        ]),
      exact,
    );
    await shown(page, "exact");
    const shownIds = await page.evaluate(() => [...document.querySelectorAll(".pf-widget")].map((e) => e.id).sort());
    expect(shownIds).toEqual(["exact", "only-exclude", "plain", "regex", "simple", "star", "substring-query"]);
  });

  it("impressions: per-session and total limits, buffer, global limits; Pathfora's stored records count", async () => {
    const { page } = await open();
    await openFixture(page, {
      path: "/fixtures/impressions.html",
      setup: `if (!sessionStorage.getItem("seeded")) {
        sessionStorage.setItem("seeded", "1");
        localStorage.setItem("PathforaImpressions_total-3", ${JSON.stringify(record(`3|${Date.now() - 864e5}`))});
        localStorage.setItem("PathforaImpressions_buffered", ${JSON.stringify(record(`1|${Date.now() - 10_000}`))});
      }`,
      init: init(
        msg("per-session", { impressions: { widget: { session: 2 } } }),
        msg("total-3", { impressions: { widget: { total: 3 } } }),
        msg("buffered", { impressions: { widget: { buffer: 60 } } }),
      ),
    });
    await shown(page, "per-session");
    expect(await present(page, "total-3")).toBe(false);
    expect(await present(page, "buffered")).toBe(false);
    expect(await stored(page, "sessionStorage", "PathforaImpressions_per-session")).toBe("1");
    expect(JSON.parse((await stored(page, "localStorage", "PathforaImpressions_per-session"))!).$).toMatch(
      /^1\|\d{13}$/,
    );
    await page.reload();
    await shown(page, "per-session");
    expect(await stored(page, "sessionStorage", "PathforaImpressions_per-session")).toBe("2");
    await page.reload();
    await page.waitForTimeout(300);
    expect(await present(page, "per-session")).toBe(false);
    // a global session limit counts every widget's impressions in this session
    await page.evaluate(() =>
      (window as any).pathfora.initializeWidgets([
        new (window as any).pathfora.Message({
          id: "global",
          layout: "modal",
          msg: "g",
          displayConditions: { impressions: { global: { session: 2 } } },
        }),
      ]),
    );
    await page.waitForTimeout(300);
    expect(await present(page, "global")).toBe(false);
  });

  it("hideAfterAction: closed, confirm and cancel counts and durations under Pathfora's keys", async () => {
    const { page } = await open();
    await openFixture(page, {
      path: "/fixtures/actions.html",
      setup: `if (!sessionStorage.getItem("seeded")) {
        sessionStorage.setItem("seeded", "1");
        localStorage.setItem("PathforaConfirm_confirmed-recently", ${JSON.stringify(record(`1|${Date.now() - 60_000}`))});
        localStorage.setItem("PathforaCancel_cancelled-long-ago", ${JSON.stringify(record(`1|${Date.now() - 7_200_000}`))});
      }`,
      init: init(
        msg("close-once", { hideAfterAction: { closed: { hideCount: 1 } } }),
        msg("confirmed-recently", { hideAfterAction: { confirm: { duration: 3600 } } }),
        msg("cancelled-long-ago", { hideAfterAction: { cancel: { duration: 3600 } } }, `, position: "bottom-right"`),
      ),
    });
    await shown(page, "close-once");
    await shown(page, "cancelled-long-ago");
    expect(await present(page, "confirmed-recently")).toBe(false);
    await page.locator("#close-once .pf-widget-close").click();
    await page.locator("#cancelled-long-ago .pf-widget-cancel").click();
    expect(JSON.parse((await stored(page, "localStorage", "PathforaClosed_close-once"))!).$).toMatch(/^1\|\d{13}$/);
    expect(JSON.parse((await stored(page, "localStorage", "PathforaCancel_cancelled-long-ago"))!).$).toMatch(
      /^2\|\d{13}$/,
    );
    expect(await eventsOf(page, "close-once")).toEqual(["show", "hover", "close"]);
    await page.reload();
    await page.waitForTimeout(300);
    expect(await present(page, "close-once")).toBe(false);
    expect(await present(page, "cancelled-long-ago")).toBe(false);
  });

  it("clearAll removes widgets and tears down watchers and timers", async () => {
    const { page } = await open();
    await openFixture(page, {
      body: `<div style="height:4000px"></div>`,
      init: init(
        msg("open-now", {}),
        msg("on-scroll", { scrollPercentageToDisplay: 10 }),
        msg("later", { showDelay: 1 }),
        msg("trig", { manualTrigger: true }),
      ),
    });
    await shown(page, "open-now");
    await page.evaluate(() => (window as any).pathfora.clearAll());
    expect(await present(page, "open-now")).toBe(false);
    await page.evaluate(() => scrollTo(0, 3000));
    await page.evaluate(() => (window as any).pathfora.triggerWidgets());
    await page.waitForTimeout(1300);
    for (const id of ["on-scroll", "later", "trig"]) expect(await present(page, id)).toBe(false);
    // ids may be used again after clearAll; clearById removes one widget
    await page.evaluate(() =>
      (window as any).pathfora.initializeWidgets([
        new (window as any).pathfora.Message({ id: "open-now", layout: "slideout", msg: "again" }),
      ]),
    );
    await shown(page, "open-now");
    await page.evaluate(() => (window as any).pathfora.clearById(["open-now"]));
    expect(await present(page, "open-now")).toBe(false);
  });
});
