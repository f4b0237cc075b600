import { describe, expect, it } from "vitest";
import { useBrowser } from "../harness";
import { eventsOf, openFixture, present, sent, shown } from "./helpers";

const open = useBrowser();

describe("forms", () => {
  it("built-in form: invalid → Pathfora's invalid/bad-validation markers; valid → success state and pf-form-* fields sent", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `window.submitted = [];
      pathfora.initializeWidgets([new pathfora.Form({ id: "lead", layout: "modal", headline: "Contact us", msg: "We answer fast",
        formStates: { success: { headline: "Thanks!", msg: "We'll be in touch.", delay: 1 } },
        onSubmit: function (ev, p) { submitted.push([ev, p.data]); } })]);`,
    });
    await shown(page, "lead");
    const form = page.locator("#lead form");
    expect(
      await form.locator("input, textarea").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).name)),
    ).toEqual(["username", "email", "title", "message"]);
    expect(
      await form.locator("[data-required=true]").evaluateAll((els) => els.map((e) => e.getAttribute("name"))),
    ).toEqual(["username", "email"]);
    await page.getByRole("button", { name: "Send" }).click();
    const name = page.getByRole("textbox", { name: "Name" });
    const email = page.getByRole("textbox", { name: "Email" });
    expect(await form.locator(".invalid").evaluateAll((els) => els.map((e) => e.getAttribute("name")))).toEqual([
      "username",
      "email",
    ]);
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("textbox", { name: "Title" }).getAttribute("aria-invalid")).toBeNull();
    expect(await name.evaluate((e) => e === document.activeElement)).toBe(true);
    await name.fill("Grace Hopper");
    await email.fill("grace@");
    await page.getByRole("button", { name: "Send" }).click();
    expect(await name.getAttribute("aria-invalid")).toBeNull();
    expect(await email.getAttribute("class")).toBe("bad-validation");
    expect(await eventsOf(page, "lead")).not.toContain("submit");
    await email.fill("grace@navy.mil");
    await page.getByRole("textbox", { name: "Message" }).fill("Hello");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("#lead .success-state").waitFor();
    expect(await page.locator("#lead .success-state .pf-widget-headline").textContent()).toBe("Thanks!");
    expect(await page.locator("#lead").getAttribute("class")).toContain("success");
    const submit = (await sent(page, "lead")).find((s) => s["pf-widget-event"] === "submit");
    expect(submit).toMatchObject({
      "pf-widget-type": "form",
      "pf-widget-layout": "modal",
      "pf-widget-variant": "1",
      "pf-form-username": "Grace Hopper",
      "pf-form-email": "grace@navy.mil",
      "pf-form-title": "",
      "pf-form-message": "Hello",
    });
    expect(submit!.email).toBeUndefined();
    const events = await eventsOf(page, "lead");
    expect(events).toContain("focus");
    expect(events).toContain("form_start");
    expect(events.slice(-2)).toEqual(["submit", "confirm"]);
    expect(await page.evaluate(() => (window as any).submitted)).toEqual([
      [
        "formSubmitted",
        [
          { name: "username", value: "Grace Hopper" },
          { name: "email", value: "grace@navy.mil" },
          { name: "title", value: "" },
          { name: "message", value: "Hello" },
        ],
      ],
    ]);
    await page.locator("#lead").waitFor({ state: "detached", timeout: 3000 });
  });

  it("custom formElements: groups, select, postal code, date limits, patterns; censorTrackingKeys", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `pathfora.initializeWidgets([new pathfora.Form({ id: "custom", layout: "slideout", headline: "Preferences", msg: "Tell us",
        censorTrackingKeys: [/secret/, "pf-widget-layout"],
        formStates: { success: { delay: 0 } },
        formElements: [
          { type: "text", name: "full_name", label: "Full name", required: true },
          { type: "email", name: "work_email", placeholder: "Work email" },
          { type: "select", name: "size", label: "Size", placeholder: "Pick one", required: true, values: [{ label: "Small", value: "s" }, { label: "Large", value: "l" }] },
          { type: "checkbox-group", name: "topics", label: "Topics", required: true, values: [{ label: "Coffee", value: "coffee" }, { label: "Tea", value: "tea" }] },
          { type: "radio-group", name: "plan", label: "Plan", values: [{ label: "Free", value: "free" }, { label: "Pro", value: "pro" }] },
          { type: "us-postal-code", name: "zip", label: "ZIP" },
          { type: "date", name: "visit", label: "Visit", minDate: "01-01-2020", maxDate: "12-31-2030" },
          { type: "text", name: "secret_code", label: "Code", pattern: "^[A-Z]{3}$" },
          { type: "textarea", name: "notes", placeholder: "Notes" }
        ] })]);`,
    });
    await shown(page, "custom");
    expect(await page.locator("#custom form").getAttribute("class")).toBe("pf-custom-form");
    await page.locator("#custom .pf-widget-ok").click();
    const invalid = await page.locator("#custom [aria-invalid=true]").evaluateAll((els) => els.map((e) => e.id));
    expect(invalid).toEqual(["custom-full_name", "custom-size", "custom-topics"]);
    expect(await page.getByRole("group", { name: "Topics" }).count()).toBe(1);
    expect(await page.getByRole("radiogroup", { name: "Plan" }).count()).toBe(1);
    await page.getByLabel("Full name").fill("Ada");
    await page.getByLabel("Size").selectOption("l");
    await page.getByRole("checkbox", { name: "Coffee" }).check();
    await page.getByRole("checkbox", { name: "Tea" }).check();
    await page.getByRole("radio", { name: "Pro" }).check();
    await page.getByLabel("ZIP").fill("12ab");
    await page.getByLabel("Visit").fill("2040-01-01");
    await page.getByLabel("Code").fill("abc");
    await page.getByRole("textbox", { name: "Work email" }).fill("not-an-email");
    await page.locator("#custom .pf-widget-ok").click();
    expect(await page.locator("#custom [aria-invalid=true]").evaluateAll((els) => els.map((e) => e.id))).toEqual([
      "custom-work_email",
      "custom-zip",
      "custom-visit",
      "custom-secret_code",
    ]);
    // Pathfora's markers on the fields' wrappers; notes only for labelled email and date fields
    expect(
      await page.locator("#custom form > .bad-validation").evaluateAll((els) => els.map((e) => e.className)),
    ).toEqual([
      "pf-form-required bad-validation",
      "pf-form-required-validation bad-validation",
      "pf-form-required bad-validation",
      "pf-form-required-validation bad-validation",
    ]);
    expect(await page.locator("#custom .pf-invalid-flag:visible").allTextContents()).toEqual(["invalid"]);
    expect(await page.getByLabel("Visit").getAttribute("max")).toBe("2030-12-31");
    await page.getByRole("textbox", { name: "Work email" }).fill("ada@example.com");
    await page.getByLabel("ZIP").fill("94107");
    await page.getByLabel("Visit").fill("2025-06-01");
    await page.getByLabel("Code").fill("ABC");
    await page.locator("#custom .pf-widget-ok").click();
    await page.locator("#custom .success-state").waitFor();
    const submit = (await sent(page, "custom")).find((s) => s["pf-widget-event"] === "submit")!;
    // custom forms send their values as Pathfora does: one `pf-custom-form` object
    expect(submit["pf-custom-form"]).toEqual({
      full_name: "Ada",
      work_email: "ada@example.com",
      size: "l",
      topics: ["coffee", "tea"],
      plan: ["pro"],
      zip: "94107",
      visit: "2025-06-01",
      secret_code: "ABC",
      notes: "",
    });
    expect(Object.keys(submit).filter((k) => /^pf-form-/.test(k))).toEqual([]);
    // censorTrackingKeys removes top-level keys, as Pathfora's does
    expect(submit["pf-widget-layout"]).toBeUndefined();
    expect(submit["pf-widget-id"]).toBe("custom");
    // delay 0: the success state stays
    await page.waitForTimeout(500);
    expect(await present(page, "custom")).toBe(true);
  });

  it("waitForAsyncResponse: the callback's answer picks the success or error state", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `window.calls = [];
      function form(id, ok, pos) { return new pathfora.Subscription({ id: id, layout: "slideout", position: pos, headline: id, msg: "Join",
        formStates: { success: { headline: "Welcome" }, error: { headline: "Sorry", msg: "Try again later", okShow: true, okMessage: "OK" } },
        confirmAction: { name: "join", waitForAsyncResponse: true, callback: function (ev, p, done) { calls.push([ev, p.data]); setTimeout(function () { done(ok); }, 50); } } }); }
      pathfora.initializeWidgets([form("sub-ok", true, "bottom-left"), form("sub-fail", false, "bottom-right")]);`,
    });
    await shown(page, "sub-ok");
    await shown(page, "sub-fail");
    for (const id of ["sub-ok", "sub-fail"]) {
      await page.locator(`#${id} input[type=email]`).fill("me@example.com");
      await page.locator(`#${id} form .pf-widget-ok`).click();
    }
    await page.locator("#sub-ok .success-state").waitFor();
    await page.locator("#sub-fail .error-state").waitFor();
    expect(await page.locator("#sub-fail .error-state .pf-widget-message").textContent()).toBe("Try again later");
    expect(await page.evaluate(() => (window as any).calls)).toEqual([
      ["modalConfirm", [{ name: "email", value: "me@example.com" }]],
      ["modalConfirm", [{ name: "email", value: "me@example.com" }]],
    ]);
    expect((await sent(page, "sub-ok")).find((s) => s["pf-widget-event"] === "subscribe")).toMatchObject({
      "pf-form-email": "me@example.com",
    });
    expect((await sent(page, "sub-ok")).find((s) => s["pf-widget-event"] === "confirm")).toMatchObject({
      "pf-widget-action": "join",
    });
    await page.locator("#sub-fail .error-state .pf-widget-ok").click();
    await page.locator("#sub-fail").waitFor({ state: "hidden" });
    expect((await sent(page, "sub-fail")).at(-1)).toMatchObject({
      "pf-widget-event": "error.confirm",
      "pf-widget-action": "error confirm",
    });
  });

  it("site gate: gates until submitted, cannot be dismissed, stays unlocked (PathforaUnlocked_{id})", async () => {
    const { page } = await open();
    await openFixture(page, {
      path: "/fixtures/gated.html",
      init: `pathfora.initializeWidgets([new pathfora.SiteGate({ id: "gate", headline: "Members only", msg: "Tell us who you are" })]);`,
    });
    await shown(page, "gate");
    expect(await page.locator("#gate .pf-widget-close").count()).toBe(0);
    expect(await page.locator("#gate .pf-widget-cancel").count()).toBe(0);
    await page.keyboard.press("Escape");
    await page.waitForTimeout(400);
    expect(await page.locator("#gate").isVisible()).toBe(true);
    // the gate covers the page: a click on the page lands on the overlay
    expect(await page.evaluate(() => document.elementFromPoint(20, 20)!.closest("#gate") !== null)).toBe(true);
    await page.getByRole("textbox", { name: "Name" }).fill("Linus");
    await page.getByRole("textbox", { name: "Email" }).fill("linus@example.org");
    await page.getByRole("textbox", { name: "Company" }).fill("Kernel");
    await page.getByRole("button", { name: "Submit" }).click();
    await page.locator("#gate").waitFor({ state: "detached" });
    const unlock = (await sent(page, "gate")).find((s) => s["pf-widget-event"] === "unlock");
    expect(unlock).toMatchObject({
      "pf-widget-type": "sitegate",
      "pf-form-username": "Linus",
      "pf-form-company": "Kernel",
      "pf-form-email": "linus@example.org",
    });
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem("PathforaUnlocked_gate")))!).$).toBe("true");
    await page.reload();
    await page.waitForTimeout(300);
    expect(await present(page, "gate")).toBe(false);
  });

  it("subscription bar validates the email; cancel and close actions run their callbacks with their names", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `window.cbs = [];
      pathfora.initializeWidgets([
        new pathfora.Subscription({ id: "news", layout: "bar", msg: "Get the newsletter", okMessage: "Subscribe" }),
        new pathfora.Message({ id: "promo", layout: "slideout", headline: "Promo", msg: "m",
          cancelAction: { name: "no thanks", callback: function (ev) { cbs.push(ev); } },
          closeAction: { name: "dismissed", callback: function (ev) { cbs.push(ev); } },
          onModalClose: function (ev) { cbs.push(ev); } }),
        new pathfora.Message({ id: "promo2", layout: "slideout", position: "bottom-right", headline: "Promo 2", msg: "m",
          cancelAction: { close: false } })
      ]);`,
    });
    await shown(page, "news");
    await page.getByRole("button", { name: "Subscribe" }).click();
    expect(await page.locator("#news input[name=email]").getAttribute("class")).toBe("invalid");
    await page.getByRole("textbox", { name: "Email" }).fill("x@y.io");
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.locator("#news").waitFor({ state: "hidden" });
    expect((await sent(page, "news")).find((s) => s["pf-widget-event"] === "subscribe")).toMatchObject({
      "pf-widget-type": "subscription",
      "pf-widget-layout": "bar",
      "pf-form-email": "x@y.io",
    });
    await page.locator("#promo .pf-widget-cancel").click();
    await page.locator("#promo").waitFor({ state: "hidden" });
    expect((await sent(page, "promo")).at(-1)).toMatchObject({
      "pf-widget-event": "cancel",
      "pf-widget-action": "no thanks",
    });
    expect(await page.evaluate(() => (window as any).cbs)).toEqual(["modalCancel", "modalClosed"]);
    await page.locator("#promo2 .pf-widget-cancel").click();
    await page.waitForTimeout(400);
    expect(await page.locator("#promo2").isVisible()).toBe(true);
    expect((await sent(page, "promo2")).at(-1)).toMatchObject({
      "pf-widget-event": "cancel",
      "pf-widget-action": "default cancel",
    });
  });
});
