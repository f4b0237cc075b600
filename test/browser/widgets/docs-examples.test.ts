/**
 * Pathfora's documentation examples (docs/docs/examples/src of
 * lytics/pathforajs 1.2), run unchanged: every widget type and layout, the
 * form states, custom forms, and a stylesheet written for Pathfora's
 * classes (docs/docs/examples/src/customization/css/custom.css).
 */
import { describe, expect, it } from "vitest";
import { baseUrl, useBrowser } from "../harness";
import { eventsOf, openFixture, sent, shown } from "./helpers";

const open = useBrowser();

/** Pathfora's "types" and "layouts" examples, verbatim (one `module` variable each). */
const TYPES = `
var module = new pathfora.Message({
  id: 'message-modal',
  layout: 'modal',
  headline: 'Welcome to our website',
  msg: 'Please enjoy your visit.'
});
pathfora.initializeWidgets([module]);

var module = new pathfora.Message({
  id: 'message-slideout',
  layout: 'slideout',
  headline: 'Welcome to our website',
  msg: 'Please enjoy your visit.'
});
pathfora.initializeWidgets([module]);

var module = new pathfora.Message({
  id: 'message-bar',
  layout: 'bar',
  msg: 'Welcome to our website'
});
pathfora.initializeWidgets([module]);

var module = new pathfora.Message({
  id: 'message-button',
  layout: 'button',
  msg: 'New Feature!'
});
pathfora.initializeWidgets([module]);

var module = new pathfora.Message({
  id: 'message-inline',
  layout: 'inline',
  position: '.inline-module',
  headline: 'Welcome to our website',
  msg: 'Please enjoy your visit.'
});
pathfora.initializeWidgets([module]);

var module = new pathfora.Form({
  id: 'form-modal',
  layout: 'modal',
  headline: 'Sign Up!',
  msg: 'Submit this form to get updates'
});
pathfora.initializeWidgets([module]);

var module = new pathfora.Subscription({
  id: 'subscription-bar',
  layout: 'bar',
  msg: 'Sign up to get newsletter updates.'
});
pathfora.initializeWidgets([module]);

var module = new pathfora.SiteGate({
  id: 'gate-modal',
  headline: 'Enter Your Info',
  msg: 'Please enter your information to proceed'
});
pathfora.initializeWidgets([module]);
`;

/** Text of the first element matching a selector. */
const text = (page: import("playwright-core").Page, sel: string) => page.locator(sel).first().textContent();
const count = (page: import("playwright-core").Page, sel: string) => page.locator(sel).count();

describe("Pathfora's documentation examples", { timeout: 15_000 }, () => {
  it("every type and layout renders Pathfora's template markup", async () => {
    const { page } = await open();
    await openFixture(page, { body: `<div class="inline-module"></div>`, init: TYPES });
    for (const id of ["message-modal", "message-slideout", "message-bar", "message-button", "message-inline"])
      await shown(page, id);
    for (const id of ["form-modal", "subscription-bar", "gate-modal"]) await shown(page, id);
    // modal: container > va-middle > content > (close, text > (headline, body > va-middle > (message, buttons, footer)))
    const modal = "#message-modal > .pf-widget-container > .pf-va-middle > .pf-widget-content";
    expect(await count(page, `${modal} > button.pf-widget-close`)).toBe(1);
    expect(await text(page, `${modal} > .pf-widget-text > h2.pf-widget-headline`)).toBe("Welcome to our website");
    const body = `${modal} > .pf-widget-text > .pf-widget-body > .pf-va-middle`;
    expect(await text(page, `${body} > p.pf-widget-message`)).toBe("Please enjoy your visit.");
    expect(
      await page
        .locator(`${body} > *`)
        .evaluateAll((els) => els.map((e) => e.tagName.toLowerCase() + "." + e.className.replace(/ /g, "."))),
    ).toEqual([
      "p.pf-widget-message",
      "a.pf-content-unit",
      "button.pf-widget-btn.pf-widget-ok",
      "button.pf-widget-btn.pf-widget-cancel",
      "div.pf-widget-footer",
    ]);
    expect(await page.locator("#message-modal").getAttribute("class")).toBe(
      "pf-widget pf-message pf-widget-modal pf-widget-variant-1 pathfora opened",
    );
    // slideout: close, body, content > (headline, message, content unit, buttons, footer)
    expect(await page.locator("#message-slideout > *").evaluateAll((els) => els.map((e) => e.className))).toEqual([
      "pf-widget-close",
      "pf-widget-body",
      "pf-widget-content",
    ]);
    expect(await text(page, "#message-slideout > .pf-widget-content > h2.pf-widget-headline")).toBe(
      "Welcome to our website",
    );
    expect(await count(page, "#message-slideout .pf-widget-content > a.pf-content-unit.stack")).toBe(1);
    expect(await page.locator("#message-slideout").getAttribute("class")).toContain("pf-position-bottom-left");
    // bar: body, close, bar content > (message, span > buttons)
    expect(await page.locator("#message-bar > *").evaluateAll((els) => els.map((e) => e.className))).toEqual([
      "pf-widget-body",
      "pf-widget-close",
      "pf-bar-content",
    ]);
    expect(await text(page, "#message-bar .pf-bar-content > p.pf-widget-message")).toBe("Welcome to our website");
    expect(await count(page, "#message-bar .pf-bar-content > span > .pf-widget-ok + .pf-widget-cancel")).toBe(1);
    // button: one button carrying the message
    expect(await text(page, "#message-button > button.pf-widget-message.pf-widget-ok")).toBe("New Feature!");
    expect(await page.locator("#message-button").getAttribute("class")).toContain("pf-position-top-left");
    // inline, in the element named by the legacy `position`: no close, no cancel
    expect(await page.evaluate(() => document.getElementById("message-inline")!.parentElement!.className)).toBe(
      "inline-module",
    );
    expect(
      await count(page, "#message-inline .pf-widget-container .pf-widget-body .pf-va-middle > .pf-widget-ok"),
    ).toBe(1);
    expect(await count(page, "#message-inline .pf-widget-close, #message-inline .pf-widget-cancel")).toBe(0);
    // form: Pathfora's built-in fields, direct children of the form
    expect(
      await page
        .locator("#form-modal form > *")
        .evaluateAll((els) =>
          els.map((e) =>
            [
              e.getAttribute("name") || e.className,
              e.getAttribute("placeholder"),
              e.getAttribute("data-required"),
            ].join("|"),
          ),
        ),
    ).toEqual([
      "username|Name|true",
      "email|Email|true",
      "title|Title|",
      "message|Message|",
      "pf-widget-btn pf-widget-ok||",
      "pf-widget-btn pf-widget-cancel||",
    ]);
    expect(await text(page, "#form-modal .pf-widget-ok")).toBe("Send");
    // subscription bar: the button, then the email field in a span
    expect(
      await count(
        page,
        "#subscription-bar .pf-bar-content > form > button.pf-widget-ok + span > input[name=email][type=email][data-required=true][placeholder=Email]",
      ),
    ).toBe(1);
    // site gate: a modal without close or cancel, "Submit"
    expect(await page.locator("#gate-modal").getAttribute("class")).toContain("pf-sitegate pf-widget-modal");
    expect(await count(page, "#gate-modal .pf-widget-close, #gate-modal .pf-widget-cancel")).toBe(0);
    expect(await text(page, "#gate-modal .pf-widget-ok")).toBe("Submit");
    expect(
      await page.locator("#gate-modal form > input").evaluateAll((els) => els.map((e) => e.getAttribute("name"))),
    ).toEqual(["username", "email", "title", "company"]);
    // Pathfora pairs half-width fields: title and company share a row
    expect(await page.locator("#gate-modal form > [name=company]").getAttribute("class")).toBe(
      "pf-field-half-width right",
    );
  });

  it("site gate without a form (showForm: false) unlocks on agreement", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `var module = new pathfora.SiteGate({
  id: 'gate-hide-form',
  headline: 'Gated Site Feature',
  msg: 'Please agree to the terms to proceed.',
  showForm: false,
  okMessage: 'I Agree'
});

pathfora.initializeWidgets([module]);`,
    });
    await shown(page, "gate-hide-form");
    expect(await count(page, "#gate-hide-form form input")).toBe(0);
    await page.getByRole("button", { name: "I Agree" }).click();
    await page.locator("#gate-hide-form").waitFor({ state: "detached" });
    expect(await eventsOf(page, "gate-hide-form")).toEqual(["show", "hover", "unlock", "confirm"]);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem("PathforaUnlocked_gate-hide-form")))!).$).toBe(
      "true",
    );
  });

  it("form states: waitForAsyncResponse shows the success state by Pathfora's success class", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `var module = new pathfora.Subscription({
  id: 'form-modal',
  layout: 'modal',
  headline: 'Sign Up!',
  msg: 'Submit this form to get updates and see the success message.',
  confirmAction: {
    waitForAsyncResponse: true,
    callback: function (event, payload, cb) {
      var valid = true;

      // make some request to your server for validation
      // set valid to false if server response is bad.

      cb(valid);
    }
  },
  formStates: {
    success: {
      headline: 'Thanks!',
      msg: 'We have received your submission, thank you for signing up.',
      delay: 5
    },
    error: {
      headline: 'Error',
      msg: 'There was an issue submitting your subscription.',
      delay: 5
    }
  }
});

pathfora.initializeWidgets([module]);`,
    });
    await shown(page, "form-modal");
    // both states are in the markup from the start, hidden
    expect(await count(page, "#form-modal .pf-widget-content > .success-state")).toBe(1);
    expect(await count(page, "#form-modal .pf-widget-content > .error-state")).toBe(1);
    expect(await page.locator("#form-modal .success-state").isHidden()).toBe(true);
    await page.locator("#form-modal form .pf-widget-ok").click();
    expect(await page.locator("#form-modal input[name=email]").getAttribute("class")).toBe("invalid");
    await page.locator("#form-modal input[name=email]").fill("reader@example.com");
    await page.locator("#form-modal form .pf-widget-ok").click();
    await page.locator("#form-modal.success .success-state").waitFor({ state: "visible" });
    expect(await text(page, "#form-modal .success-state .pf-widget-headline")).toBe("Thanks!");
    expect(await page.locator("#form-modal form").isHidden()).toBe(true);
    expect(await page.locator("#form-modal .error-state").isHidden()).toBe(true);
    expect((await sent(page, "form-modal")).find((s) => s["pf-widget-event"] === "subscribe")).toEqual({
      "pf-widget-id": "form-modal",
      "pf-widget-type": "subscription",
      "pf-widget-layout": "modal",
      "pf-widget-variant": "1",
      "pf-form-email": "reader@example.com",
      "pf-widget-event": "subscribe",
    });
  });

  it("custom form: Pathfora's field wrappers, required and invalid markers, pf-custom-form data", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `var form = new pathfora.Form({
  id: 'survey',
  layout: 'slideout',
  position: 'left',
  headline: 'Please complete this survey',
  msg: 'Tell us about yourself and some of your favorite things.',
  theme: 'custom',
  formElements: [
    { type: 'text', name: 'name', label: 'Your Name', placeholder: 'Your Name', required: true },
    { type: 'text', placeholder: 'Only 5 Digits Allowed', name: 'postal_code', pattern: '^[0-9]{5}$' },
    { type: 'select', label: "What's your favorite animal?", placeholder: 'Select an animal...', name: 'favorite_animal', required: true,
      values: [ { label: 'Cat', value: 'cat' }, { label: 'Dog', value: 'dog' }, { label: 'Horse', value: 'horse' } ] },
    { type: 'radio-group', label: "What's your favorite color?", name: 'favorite_color', required: true,
      values: [ { label: 'Red', value: 'red' }, { label: 'Blue', value: 'blue' }, { label: 'Green', value: 'green' } ] },
    { type: 'checkbox-group', label: 'What are your favorite flavors of ice cream?', name: 'ice_cream_flavors', required: true,
      values: [ { label: 'Vanilla', value: 'vanilla' }, { label: 'Chocolate', value: 'chocolate' }, { label: 'Strawberry', value: 'strawberry' } ] },
    { type: 'textarea', label: 'Comments', name: 'comments', placeholder: 'Any more comments?' },
  ],
});

window.pathfora.initializeWidgets([form]);`,
    });
    await shown(page, "survey");
    const wrappers = () =>
      page.locator("#survey form.pf-custom-form > div").evaluateAll((els) => els.map((e) => e.className));
    expect(await wrappers()).toEqual([
      "pf-form-required",
      "pf-form-required-validation",
      "pf-form-required",
      "pf-widget-radio-group pf-form-required",
      "pf-widget-checkbox-group pf-form-required",
      "",
    ]);
    expect(await text(page, "#survey form > div:first-child > label.pf-form-label")).toBe("Your Name *");
    expect(await count(page, "#survey form > div:first-child > label > span.required")).toBe(1);
    expect(await count(page, "#survey form [data-required=true]")).toBe(4);
    await page.locator("#survey .pf-widget-ok").click();
    expect(await wrappers()).toEqual([
      "pf-form-required invalid",
      "pf-form-required-validation",
      "pf-form-required invalid",
      "pf-widget-radio-group pf-form-required invalid",
      "pf-widget-checkbox-group pf-form-required invalid",
      "",
    ]);
    expect(await page.locator("#survey .pf-required-flag:visible").allTextContents()).toEqual([
      "required",
      "required",
      "required",
      "required",
    ]);
    await page.getByLabel("Your Name").fill("Ada");
    await page.getByRole("textbox", { name: "Only 5 Digits Allowed" }).fill("12");
    await page.getByLabel("What's your favorite animal?").selectOption("dog");
    await page.getByRole("radio", { name: "Blue" }).check();
    await page.getByRole("checkbox", { name: "Vanilla" }).check();
    await page.locator("#survey .pf-widget-ok").click();
    expect(await wrappers()).toEqual([
      "pf-form-required",
      "pf-form-required-validation bad-validation",
      "pf-form-required",
      "pf-widget-radio-group pf-form-required",
      "pf-widget-checkbox-group pf-form-required",
      "",
    ]);
    await page.getByRole("textbox", { name: "Only 5 Digits Allowed" }).fill("94107");
    await page.locator("#survey .pf-widget-ok").click();
    await page.locator("#survey").waitFor({ state: "hidden" });
    const submit = (await sent(page, "survey")).find((s) => s["pf-widget-event"] === "submit")!;
    expect(submit["pf-custom-form"]).toEqual({
      name: "Ada",
      postal_code: "94107",
      favorite_animal: "dog",
      favorite_color: ["blue"],
      ice_cream_flavors: ["vanilla"],
      comments: "",
    });
  });

  it("a stylesheet written for Pathfora's classes styles our widgets (customization/css example)", async () => {
    const { page } = await open();
    const css = `.pf-widget.pf-twitter-module { background-color: #4a4a4a; color: #fff; border-radius: 0px; box-shadow: none; font-family: Roboto, Arial, 'sans-serif'; }
.pf-widget.pf-twitter-module .pf-widget-message { font-size: 15px; line-height: 1.7; }
.pf-widget.pf-twitter-module .pf-widget-headline { color: #39aec0; font-size: 28px; }
.pf-widget.pf-twitter-module .pf-widget-close { color: #39aec0; }
.pf-widget.pf-twitter-module .pf-widget-btn { border-radius: 0px; padding: 1px 25px; }
.pf-widget.pf-twitter-module .pf-widget-btn.pf-widget-ok { background-color: #1b91a7; color: #fff; box-shadow: none; }
.pf-widget.pf-twitter-module .pf-widget-btn.pf-widget-cancel { background: transparent; color: #fff; border: 1px solid #6a6a6a; }
.pf-widget.pf-twitter-module .pf-widget-img { border-radius: 0px; }
.pf-widget.pf-twitter-module .pf-widget-footer { font-size: 9px; }`;
    await page.route(`${baseUrl()}/fixtures/custom.css`, (r) => r.fulfill({ contentType: "text/css", body: css }));
    await page.route("**/assets/twitter.png", (r) =>
      r.fulfill({ contentType: "image/gif", body: Buffer.from("R0lGODlhAQABAAAAACw=", "base64") }),
    );
    await openFixture(page, {
      head: `<link rel="stylesheet" href="/fixtures/custom.css">`,
      init: `var module = new pathfora.Message({
  id: 'twitter-module',
  className: 'pf-twitter-module',
  layout: 'slideout',
  headline: 'Thank You!',
  msg: 'We hope you are enjoying your recent purchase, and we\\'d love to hear from you! Send us a tweet and let us know what you think.',
  okMessage: 'Tweet @ us!',
  cancelMessage: 'No Thanks',
  footerText: 'By clicking Tweet @ us, you agree to send and receive tweets.',
  variant: 2,
  image: '../../../../assets/twitter.png',
  theme: 'custom',
  branding: false
});

pathfora.initializeWidgets([module]);`,
    });
    await shown(page, "twitter-module");
    const style = (sel: string, prop: string) =>
      page
        .locator(`#twitter-module ${sel}`.trim())
        .first()
        .evaluate((e, p) => getComputedStyle(e).getPropertyValue(p), prop);
    expect(await style("", "background-color")).toBe("rgb(74, 74, 74)");
    expect(await style("", "border-radius")).toBe("0px");
    expect(await style(".pf-widget-headline", "color")).toBe("rgb(57, 174, 192)");
    expect(await style(".pf-widget-headline", "font-size")).toBe("28px");
    expect(await style(".pf-widget-message", "line-height")).toBe("25.5px");
    expect(await style(".pf-widget-close", "color")).toBe("rgb(57, 174, 192)");
    expect(await style(".pf-widget-ok", "background-color")).toBe("rgb(27, 145, 167)");
    expect(await style(".pf-widget-ok", "padding-left")).toBe("25px");
    expect(await style(".pf-widget-cancel", "border-top-color")).toBe("rgb(106, 106, 106)");
    expect(await style(".pf-widget-cancel", "background-color")).toBe("rgba(0, 0, 0, 0)");
    expect(await style(".pf-widget-img", "border-radius")).toBe("0px");
    expect(await style(".pf-widget-img", "display")).toBe("block");
    expect(await style(".pf-widget-footer", "font-size")).toBe("9px");
  });

  it("layouts: slideout origin, bar pushDown, dark exit-intent modal", async () => {
    const { page } = await open();
    await openFixture(page, {
      body: `<div class="myElementClass">Site header</div>`,
      init: `var module = new pathfora.Message({
  id: 'slideout-image',
  layout: 'slideout',
  headline: 'Welcome',
  msg: 'Welcome to our website.',
  position: 'bottom-right',
  origin: 'bottom'
});

pathfora.initializeWidgets([module]);

var module = new pathfora.Message({
  id: 'bar-push-down',
  layout: 'bar',
  position: 'top-fixed',
  msg: 'Welcome to our website.',
  pushDown: '.myElementClass'
});

pathfora.initializeWidgets([module]);

var subscription = new pathfora.Message({
  layout: 'modal',
  id: 'modal-subscription',
  headline: 'Don\\'t leave yet!',
  msg: 'Please, anything but that.',
  theme: 'dark',
  okMessage: 'Hmm. Okay.',
  okShow: true,
  displayConditions: {
    showOnExitIntent: true
  }
});

pathfora.initializeWidgets([subscription]);`,
    });
    await shown(page, "slideout-image");
    await shown(page, "bar-push-down");
    expect(await page.locator("#slideout-image").getAttribute("class")).toBe(
      "pf-widget pf-message pf-widget-slideout pf-position-bottom-right pf-origin-bottom pf-widget-variant-1 pathfora opened",
    );
    expect(await page.locator("#bar-push-down").getAttribute("class")).toContain("pf-has-push-down");
    expect(await page.locator(".myElementClass").getAttribute("class")).toBe("myElementClass pf-push-down opened");
    expect(await count(page, "#modal-subscription")).toBe(0);
    await page.evaluate(() =>
      document.dispatchEvent(new MouseEvent("mouseout", { bubbles: true, clientY: 5, relatedTarget: null })),
    );
    await shown(page, "modal-subscription");
    expect(await page.locator("#modal-subscription").getAttribute("class")).toContain("pf-theme-dark");
    expect(await text(page, "#modal-subscription .pf-widget-ok")).toBe("Hmm. Okay.");
  });
});
