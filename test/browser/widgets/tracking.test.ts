import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { api, baseUrl, useBrowser } from "../harness";
import { openFixture, sent, shown } from "./helpers";

const open = useBrowser();

describe("tracking", () => {
  it("sends Pathfora's pf-widget-* fields for show, hover, confirm, close and form events", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `pathfora.initializeWidgets([
        new pathfora.Message({ id: "t-msg", layout: "slideout", variant: 2, image: "/static/x.png", headline: "H", msg: "m", confirmAction: { name: "go-shop" } }),
        new pathfora.Form({ id: "t-form", layout: "slideout", position: "bottom-right", headline: "F", msg: "m", closeAction: { name: "bye" } })
      ]);`,
    });
    await shown(page, "t-msg");
    await shown(page, "t-form");
    await page.locator("#t-msg .pf-widget-ok").click();
    await page.getByRole("textbox", { name: "Name" }).fill("Kim");
    await page.getByRole("textbox", { name: "Name" }).blur();
    await page.locator("#t-form .pf-widget-close").click();
    const msg = await sent(page, "t-msg");
    const base = {
      "pf-widget-id": "t-msg",
      "pf-widget-type": "message",
      "pf-widget-layout": "slideout",
      "pf-widget-variant": "2",
    };
    expect(msg).toEqual([
      { ...base, "pf-widget-event": "show" },
      { ...base, "pf-widget-event": "hover", "pf-widget-action": "confirm" },
      { ...base, "pf-widget-event": "confirm", "pf-widget-action": "go-shop" },
    ]);
    const form = (await sent(page, "t-form")).map((s) => [s["pf-widget-event"], s["pf-widget-action"]]);
    expect(form).toEqual([
      ["show", undefined],
      ["focus", "username"],
      ["form_start", "username"],
      ["hover", "close"],
      ["close", "bye"],
    ]);
  });

  it("with the real tag: widgets target by the tag's audiences and their events reach the edge", async () => {
    const { page } = await open();
    const collected: Record<string, unknown>[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname.startsWith("/c/demo")) {
        const body = JSON.parse(r.postData() || "null");
        for (const e of Array.isArray(body) ? body : (body?.events ?? [body])) collected.push(e);
      }
    });
    const snippet = readFileSync("dist/tag/snippet.min.js", "utf8");
    await openFixture(page, {
      noStub: true,
      setup: `${snippet}\njstag.init({ src: "${baseUrl()}/api/tag/demo/latest.min.js" });`,
      init: `pathfora.initializeWidgets({ target: [{ segment: "all", widgets: [new pathfora.Message({ id: "real", layout: "slideout", headline: "Hello {{name | visitor}}", msg: "From the real tag" })] }] });`,
    });
    await shown(page, "real", 10_000);
    expect(await page.locator("#real .pf-widget-headline").textContent()).toBe("Hello visitor");
    await page.locator("#real .pf-widget-ok").click();
    await expect
      .poll(() => collected.filter((e) => e["pf-widget-id"] === "real").map((e) => e["pf-widget-event"]), {
        timeout: 10_000,
      })
      .toEqual(["show", "hover", "confirm"]);
    const show = collected.find((e) => e["pf-widget-event"] === "show")!;
    expect(show).toMatchObject({
      "pf-widget-type": "message",
      "pf-widget-layout": "slideout",
      "pf-widget-variant": "1",
    });
    expect(show._uid).toBeTruthy();
    // the profile the edge keeps shows the widget events
    const uid = await page.evaluate(() => new Promise<string>((r) => (window as any).jstag.getid(r)));
    await expect
      .poll(async () => (await api(`/api/entity/user/_uids/${uid}?cid=demo`)).status, { timeout: 10_000 })
      .toBe(200);
  });
});
