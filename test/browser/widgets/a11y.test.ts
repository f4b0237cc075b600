import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowser } from "../harness";
import { openFixture, shown } from "./helpers";

const open = useBrowser();

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** axe violations inside one widget. */
async function violations(page: Page, id: string) {
  const res = await new AxeBuilder({ page }).include(`#${id}`).withTags(TAGS).analyze();
  return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Id (or text) of the focused element. */
const focused = (page: Page) =>
  page.evaluate(
    () => document.activeElement?.id || document.activeElement?.className || document.activeElement?.tagName,
  );

describe("accessibility", () => {
  it("axe: modal, slideout, bar and gate have no violations, in light and dark themes", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `pathfora.initializeWidgets([
        new pathfora.Form({ id: "a-modal", layout: "modal", headline: "Join us", msg: "Get <b>10%</b> off", footerText: "No spam" }),
        new pathfora.Subscription({ id: "a-slide", layout: "slideout", theme: "dark", headline: "Newsletter", msg: "Weekly news" }),
        new pathfora.Message({ id: "a-bar", layout: "bar", msg: "Free shipping this week", okMessage: "Shop", cancelMessage: "Dismiss" }),
        new pathfora.Message({ id: "a-inline", layout: "inline", positionSelector: "main", variant: 2, image: "/static/x.png", headline: "Inline", msg: "Hi" })
      ]);`,
    });
    for (const id of ["a-modal", "a-slide", "a-bar", "a-inline"]) await shown(page, id);
    await page.waitForTimeout(400);
    for (const id of ["a-modal", "a-slide", "a-bar", "a-inline"]) expect(await violations(page, id), id).toEqual([]);
    // with validation messages showing
    await page.locator("#a-modal .pf-widget-ok").click();
    expect(await page.locator("#a-modal [aria-invalid=true]").count()).toBe(2);
    expect(await violations(page, "a-modal")).toEqual([]);

    const { page: gatePage } = await open();
    await openFixture(gatePage, {
      init: `pathfora.initializeWidgets([new pathfora.SiteGate({ id: "a-gate", headline: "Members", msg: "Sign in to read", theme: "dark",
        formElements: [{ type: "text", name: "name", label: "Name", required: true }, { type: "radio-group", name: "role", label: "Role", values: [{ label: "Dev", value: "dev" }, { label: "Ops", value: "ops" }] }, { type: "checkbox-group", name: "t", label: "Topics", required: true, values: [{ label: "A", value: "a" }] }, { type: "select", name: "s", label: "Size", values: [{ label: "S", value: "s" }] }] })]);`,
    });
    await shown(gatePage, "a-gate");
    await gatePage.waitForTimeout(400);
    expect(await violations(gatePage, "a-gate")).toEqual([]);
    await gatePage.locator("#a-gate .pf-widget-ok").click();
    expect(await violations(gatePage, "a-gate")).toEqual([]);
  });

  it("dialog semantics: role, aria-modal, labelled by the headline, described by the message; unique ids per widget", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `pathfora.initializeWidgets([new pathfora.Message({ id: "d1", headline: "First", msg: "One" }), new pathfora.Message({ id: "d2", layout: "slideout", headline: "Second", msg: "Two" })]);`,
    });
    await shown(page, "d1");
    await shown(page, "d2");
    const dialog = page.getByRole("dialog", { name: "First" });
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    expect(await dialog.getAttribute("aria-describedby")).toBe("d1-m");
    expect(await page.getByRole("region", { name: "Second" }).count()).toBe(1);
    const allIds = await page.evaluate(() => [...document.querySelectorAll("[id]")].map((e) => e.id));
    expect(new Set(allIds).size).toBe(allIds.length);
  });

  it("keyboard only: open from a button, Tab and Shift+Tab stay in the dialog, Escape closes, focus returns", async () => {
    const { page } = await open();
    await openFixture(page, {
      body: `<button id="opener">Open offer</button><a href="#after">After</a>`,
      init: `document.getElementById("opener").addEventListener("click", function () {
        pathfora.initializeWidgets([new pathfora.Message({ id: "kb", headline: "Offer", msg: "Half price", okMessage: "Take it", cancelMessage: "No" })]);
      });`,
    });
    await page.keyboard.press("Tab");
    expect(await focused(page)).toBe("opener");
    await page.keyboard.press("Enter");
    await shown(page, "kb");
    await page.waitForFunction(() => document.activeElement?.closest("#kb"));
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      order.push((await page.evaluate(() => document.activeElement!.textContent))!);
      await page.keyboard.press("Tab");
    }
    expect(order).toEqual(["×", "Take it", "No", "×"]);
    // Shift+Tab from the first element wraps to the last
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement!.textContent)).toBe("×");
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement!.textContent)).toBe("No");
    // a visible focus indicator
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe("solid");
    await page.keyboard.press("Escape");
    await page.locator("#kb").waitFor({ state: "hidden" });
    expect(await focused(page)).toBe("opener");
    expect(await page.evaluate(() => (window as any).__sent.map((s: any) => s["pf-widget-event"]))).toEqual([
      "show",
      "close",
    ]);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem("PathforaClosed_kb")))!).$).toMatch(/^1\|/);
  });

  it("gate keyboard: focus starts in the form, Tab cycles inside, Escape does nothing", async () => {
    const { page } = await open();
    await openFixture(page, {
      body: `<a href="#x">Page link</a>`,
      init: `pathfora.initializeWidgets([new pathfora.SiteGate({ id: "kg", headline: "Gate", msg: "m" })]);`,
    });
    await shown(page, "kg");
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "username");
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      names.push(
        (await page.evaluate(
          () => (document.activeElement as HTMLInputElement).name || document.activeElement!.textContent,
        ))!,
      );
    }
    expect(names).toEqual(["email", "title", "company", "Submit", "username", "email"]);
    await page.keyboard.press("Escape");
    await page.waitForTimeout(300);
    expect(await page.locator("#kg").isVisible()).toBe(true);
  });

  it("slideouts are not modal and do not take focus; reduced motion turns transitions off", async () => {
    const { page } = await open();
    await page.emulateMedia({ reducedMotion: "reduce" });
    await openFixture(page, {
      body: `<input id="search" aria-label="Search">`,
      init: `document.getElementById("search").focus(); pathfora.initializeWidgets([new pathfora.Message({ id: "so", layout: "slideout", headline: "Hi", msg: "m" })]);`,
    });
    await shown(page, "so");
    expect(await focused(page)).toBe("search");
    expect(await page.locator("#so").evaluate((e) => getComputedStyle(e).transitionDuration)).toBe("0s");
    expect(await page.getByRole("button", { name: "Close" }).count()).toBe(1);
    await page.emulateMedia({ reducedMotion: "no-preference" });
    expect(await page.locator("#so").evaluate((e) => getComputedStyle(e).transitionDuration)).not.toBe("0s");
  });
});
