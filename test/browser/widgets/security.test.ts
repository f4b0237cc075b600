import { describe, expect, it } from "vitest";
import { useBrowser } from "../harness";
import { openFixture, sent, shown } from "./helpers";

const open = useBrowser();

const EVIL = `Hi <img src=x onerror="window.pwned='img'"><script>window.pwned='script'</script><b onclick="window.pwned='attr'" style="color:red">bold</b> <a href="javascript:window.pwned='href'">js</a> <a href="https://ok.example/x" target="_blank" onmouseover="window.pwned='over'">ok</a><iframe src="javascript:parent.pwned='iframe'"></iframe><svg onload="window.pwned='svg'"><circle/></svg><em>em</em><br><span>span</span>`;

describe("security", () => {
  it("configuration HTML passes an allow-list sanitizer: no scripts, handlers, iframes or javascript: links", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `pathfora.initializeWidgets([new pathfora.Form({ id: "x", layout: "modal", headline: ${JSON.stringify(EVIL)}, msg: ${JSON.stringify(EVIL)}, footerText: ${JSON.stringify(EVIL)}, okMessage: ${JSON.stringify(EVIL)},
        formElements: [{ type: "text", name: "n", label: ${JSON.stringify(EVIL)} }], formStates: { success: { headline: ${JSON.stringify(EVIL)}, delay: 0 } } })]);`,
    });
    await shown(page, "x");
    await page.waitForTimeout(300);
    const root = page.locator("#x");
    expect(await root.locator("img, script, iframe, svg, [onclick], [onerror], [onmouseover], [style]").count()).toBe(
      0,
    );
    expect(await root.locator(".pf-widget-text .pf-widget-headline").innerHTML()).toBe(
      'Hi <b>bold</b> <a>js</a> <a href="https://ok.example/x" target="_blank" rel="noopener">ok</a><em>em</em><br><span>span</span>',
    );
    await root.locator(".pf-widget-text .pf-widget-headline a", { hasText: "js" }).click();
    await root.locator(".pf-widget-text .pf-widget-headline a", { hasText: "ok" }).hover();
    await page.getByRole("textbox").fill("v");
    await root.locator(".pf-widget-ok").click();
    await root.locator(".success-state").waitFor();
    expect(await root.locator(".success-state img, .success-state script").count()).toBe(0);
    expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
  });

  it("string callbacks run only when the account enables them", async () => {
    const { page } = await open();
    const widgets = `pathfora.initializeWidgets([new pathfora.Message({ id: "s", layout: "slideout", msg: "m", confirmAction: { callback: "function (ev, p) { window.ran = ev + ':' + p.config.id; }" } })]);`;
    await openFixture(page, { init: widgets });
    await shown(page, "s");
    await page.locator("#s .pf-widget-ok").click();
    await page.locator("#s").waitFor({ state: "hidden" });
    expect(await page.evaluate(() => (window as any).ran)).toBeUndefined();

    const { page: allowed } = await open();
    await openFixture(allowed, { setup: `window.pathfora = { enableStringCallbacks: true };`, init: widgets });
    await shown(allowed, "s");
    await allowed.locator("#s .pf-widget-ok").click();
    expect(await allowed.evaluate(() => (window as any).ran)).toBe("modalConfirm:s");
  });

  it("works under Content-Security-Policy script-src 'self' (and style-src 'self') without violations", async () => {
    const { page } = await open();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await openFixture(page, {
      headers: { "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'" },
      setup: `window.__csp = []; document.addEventListener("securitypolicyviolation", function (e) { __csp.push(e.violatedDirective + " " + e.blockedURI); });`,
      body: `<div data-pftrigger="all">Inline for all</div>`,
      init: `pathfora.initializeWidgets([
        new pathfora.Form({ id: "csp-form", layout: "modal", theme: "custom", colors: { background: "rgb(1, 2, 3)", headline: "rgb(200, 201, 202)" }, headline: "Strict <b>page</b>", msg: "m", formStates: { success: { delay: 0 } } }),
        new pathfora.Message({ id: "csp-bar", layout: "bar", msg: "Bar" })
      ]);`,
    });
    await shown(page, "csp-form");
    await shown(page, "csp-bar");
    expect(
      await page.locator("#csp-form .pf-widget-content").evaluate((e) => getComputedStyle(e).backgroundColor),
    ).toBe("rgb(1, 2, 3)");
    expect(
      await page.locator("#csp-form .pf-widget-text .pf-widget-headline").evaluate((e) => getComputedStyle(e).color),
    ).toBe("rgb(200, 201, 202)");
    // the stylesheet loaded (positioning works) and inline variants are revealed
    expect(await page.locator("#csp-bar").evaluate((e) => getComputedStyle(e).position)).toBe("absolute");
    expect(await page.locator("text=Inline for all").isVisible()).toBe(true);
    await page.locator("#csp-form .pf-widget-ok").click();
    expect(await page.locator("#csp-form [aria-invalid=true]").count()).toBe(2);
    await page.getByRole("textbox", { name: "Name" }).fill("Eve");
    await page.getByRole("textbox", { name: "Email" }).fill("eve@example.com");
    await page.locator("#csp-form .pf-widget-ok").click();
    await page.locator("#csp-form .success-state").waitFor();
    expect((await sent(page, "csp-form")).map((s) => s["pf-widget-event"])).toContain("submit");
    await page.keyboard.press("Escape");
    await page.locator("#csp-form").waitFor({ state: "hidden" });
    expect(await page.evaluate(() => (window as any).__csp)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
