import { describe, expect, it } from "vitest";
import { useBrowser } from "../harness";
import { baseUrl } from "../harness";
import { openFixture, present, sent, shown } from "./helpers";

const open = useBrowser();

describe("window.pathfora API", () => {
  it("new pathfora.Message(config) and pathfora.Message(config) give the same widget object, with the merged configuration", async () => {
    const { page } = await open();
    await openFixture(page, {
      init: `
      var modal = new pathfora.Message({ id: 'welcome', layout: 'modal', headline: 'Hi', msg: 'Welcome back' });
      var slide = pathfora.Message({ id: 'slide', layout: 'slideout', msg: 'x', confirmAction: { name: 'go', callback: function () {} } });
      var form = new pathfora.Form({ id: 'form', layout: 'inline', positionSelector: 'main' });
      var test = new pathfora.ABTest({ id: 'ab', type: '100', groups: [[form]] });
      window.seen = {
        modal: [modal.id, modal.type, modal.layout, modal.position, modal.okMessage, modal.cancelShow, modal.config.headline, modal.valid],
        slide: [slide.id, slide.layout, slide.position, typeof slide.confirmAction.callback, slide.variant],
        form: [form.type, form.okMessage, form.positionSelector, form.displayConditions.showOnInit],
        test: [test.id, test.cookieId, test.groups[0][0] === form],
        sameShape: Object.keys(new pathfora.Message({ id: 'a' })).join() === Object.keys(pathfora.Message({ id: 'b' })).join()
      };
      modal.config.headline = 'Hello again';
      pathfora.initializeWidgets([modal, slide]);
      window.afterInit = [modal.headline, modal.className];`,
    });
    await shown(page, "welcome");
    expect(await page.evaluate(() => (window as any).seen)).toEqual({
      modal: ["welcome", "message", "modal", "", "Confirm", true, "Hi", true],
      slide: ["slide", "slideout", "bottom-left", "function", "1"],
      form: ["form", "Send", "main", true],
      test: ["ab", "PathforaTest_ab", true],
      sameShape: true,
    });
    expect(await page.locator("#welcome .pf-widget-headline").textContent()).toBe("Hello again");
    expect(await page.evaluate(() => (window as any).afterInit)).toEqual(["Hello again", "pathfora"]);
    await shown(page, "slide");
  });

  it("pathfora.utils, getDataObject, getWidgetDependencies and inline behave as Pathfora's", async () => {
    const { page } = await open();
    await openFixture(page, {
      setup: `window.__segments = ["all", "smt_new"];`,
      body: `<p data-pftrigger="smt_new">New here</p>`,
      init: `var u = pathfora.utils;
      u.saveCookie("pf test", "a b;c");
      u.write("k1", "v1");
      u.store.ttl("k2", "gone", -1000);
      u.store.setItem("k3", 42);
      window.out = {
        cookie: u.readCookie("pf test"),
        missing: u.readCookie("nope"),
        read: u.read("k1"),
        expired: u.store.getItem("k2"),
        item: u.store.getItem("k3"),
        record: JSON.parse(localStorage.getItem("k3")).$,
        id: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(u.generateUniqueId()),
        escape: [u.escapeURI('a b/c?d=%41&e="<x>"'), u.escapeURI("a b%41", { usePlus: true, keepEscaped: true })],
        queries: [u.constructQueries({ limit: 5, topics: ["a", "b"] }), u.constructQueries({})],
        ttlError: (function () { try { u.store.ttl("x", 1, "soon"); } catch (e) { return e.message; } })(),
        acctid: pathfora.acctid, enableGA: pathfora.enableGA, dateOptions: pathfora.dateOptions
      };
      var a = new pathfora.Message({ id: "dep-a", layout: "slideout", headline: "Hi {{name | there}}", msg: "m" });
      var b = new pathfora.Message({ id: "dep-b", layout: "slideout", position: "bottom-right", msg: "m" });
      var c = new pathfora.Message({ id: "dep-c", layout: "slideout", position: "top-left", msg: "m" });
      pathfora.initializeWidgets({ target: [{ segment: "smt_new", widgets: [a] }, { rule: pathfora.rules.eq("plan", "pro"), widgets: [b] }], inverse: [c] });`,
    });
    await shown(page, "dep-a");
    expect(await page.evaluate(() => (window as any).out)).toEqual({
      cookie: "a b;c",
      missing: null,
      read: "v1",
      expired: null,
      item: "42",
      record: "42",
      id: true,
      escape: ["a%20b/c?d=%2541&e=%22%3Cx%3E%22", "a+b%41"],
      queries: ["?limit=5&topics[]=a&topics[]=b", ""],
      ttlError: "milliseconds must be a number!",
      acctid: "",
      enableGA: false,
      dateOptions: {},
    });
    expect(await page.evaluate(() => (window as any).pathfora.getWidgetDependencies())).toEqual({
      "dep-a": { segment: ["smt_new"], entityField: ["name"] },
      "dep-b": { entityField: ["*"] },
      "dep-c": { segment: ["smt_new"] },
    });
    // inline personalization ran: the element for the visitor's audience shows, and is listed
    await page.getByText("New here").waitFor();
    expect(
      await page.evaluate(() => (window as any).pathfora.inline.elements.map((e: Element) => e.textContent)),
    ).toEqual(["New here"]);
    await page.locator("#dep-a .pf-widget-ok").click();
    await page.locator("#dep-a").waitFor({ state: "detached" });
    const data = await page.evaluate(() => (window as any).pathfora.getDataObject());
    expect(data.pageViews).toBe(1);
    expect(data.displayedWidgets.map((e: any) => e["pf-widget-id"])).toEqual(["dep-a"]);
    expect(data.completedActions).toEqual([
      {
        "pf-widget-id": "dep-a",
        "pf-widget-type": "message",
        "pf-widget-layout": "slideout",
        "pf-widget-variant": "1",
        "pf-widget-action": "default confirm",
        "pf-widget-event": "confirm",
      },
    ]);
    expect(data.closedWidgets).toEqual([]);
    expect(data.cancelledActions).toEqual([]);
    await page.waitForFunction(() => (window as any).pathfora.getDataObject().timeSpentOnPage >= 1);
  });

  it("Pathfora's developer errors and warnings", async () => {
    const { page } = await open();
    const warnings: string[] = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await openFixture(page, {
      body: `<div id="slot"></div>`,
      init: `function err(f) { try { f(); return "no error"; } catch (e) { return e.message; } }
      var one = new pathfora.Message({ id: "one", layout: "slideout", msg: "m" });
      window.errors = {
        noConfig: err(function () { new pathfora.Message(); }),
        noId: err(function () { new pathfora.Form({ layout: "modal" }); }),
        duplicate: err(function () { pathfora.initializeWidgets([one, new pathfora.Message({ id: "one", msg: "again" })]); }),
        noSelector: err(function () { pathfora.initializeWidgets([new pathfora.Message({ id: "lost", layout: "inline", positionSelector: "#nowhere", msg: "m" })]); }),
        badLayout: err(function () { pathfora.initializeWidgets([new pathfora.Subscription({ id: "sub-button", layout: "button" })]); }),
        pushDown: err(function () { pathfora.initializeWidgets([new pathfora.Message({ id: "pd", layout: "slideout", pushDown: "#slot" })]); }),
        noWidgets: err(function () { pathfora.initializeWidgets(); }),
        priority: err(function () { pathfora.initializeWidgets([], null, { priority: "random" }); }),
        badTarget: err(function () { pathfora.initializeWidgets({ target: [{ widgets: [] }] }); }),
        twoTests: err(function () {
          var w = new pathfora.Message({ id: "ab-w", msg: "m" });
          pathfora.initializeABTesting([new pathfora.ABTest({ id: "t1", type: "100", groups: [[w]] }), new pathfora.ABTest({ id: "t2", type: "100", groups: [[w]] })]);
        }),
        abType: err(function () { new pathfora.ABTest({ id: "t3", type: "bananas", groups: [[], []] }); }),
        recType: err(function () { pathfora.initializeWidgets([new pathfora.Form({ id: "rec-form", recommend: { collection: "x" } })]); })
      };
      pathfora.clearById("one");
      pathfora.initializeWidgets([new pathfora.Message({ id: "wrong-place", layout: "slideout", position: "middle-center", msg: "m" })]);`,
    });
    expect(await page.evaluate(() => (window as any).errors)).toEqual({
      noConfig: "Config object is missing",
      noId: "All widgets must have an id value",
      duplicate: "Cannot add two widgets with the same id",
      noSelector: "Widget could not be initialized in #nowhere",
      badLayout: "Invalid widget layout value",
      pushDown: "Only top positioned bar widgets may have a pushDown property",
      noWidgets: "Initialize called with no widgets",
      priority: "Invalid priority defined in options.",
      badTarget: "All targeted widgets should have segment or rule function specified",
      twoTests: "Widget #ab-w is defined in more than one AB test.",
      abType: "Unknown AB testing type: bananas",
      recType: "Unsupported widget type for content recommendation",
    });
    // an invalid position warns and falls back to the layout's default
    await shown(page, "wrong-place");
    expect(await page.locator("#wrong-place").getAttribute("class")).toContain("pf-position-bottom-left");
    expect(warnings).toEqual([
      "clearById: widgetIds must be an array",
      "middle-center is not a valid position for slideout",
    ]);
  });

  it("legacy Lytics tag: window.lio and no jstag drive targeting, templates, addCallback, acctid and recommendations", async () => {
    const { page, context } = await open();
    await context.addCookies([{ name: "seerid", value: "legacy-visitor", url: baseUrl() }]);
    const requests: string[] = [];
    await page.route(`${baseUrl()}/api/content/recommend/**`, (route) => {
      requests.push(new URL(route.request().url()).pathname + new URL(route.request().url()).search);
      return route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({ data: [{ url: "example.com/guide", title: "The guide", description: "Read it" }] }),
      });
    });
    await openFixture(page, {
      noStub: true,
      setup: `window.lio = { loaded: true, account: { id: "legacy-acct" }, data: { name: "Ada", segments: ["all", "vip"] } };`,
      init: `window.calls = [];
      pathfora.addCallback(function (data) { calls.push(data.name); });
      pathfora.initializeWidgets({ target: [{ segment: "vip", widgets: [
        new pathfora.Message({ id: "vip", layout: "slideout", headline: "Welcome back {{name}}", msg: "m" }),
        new pathfora.Message({ id: "rec", layout: "modal", variant: 3, msg: "For you", recommend: { collection: "guides" } })
      ] }], inverse: [new pathfora.Message({ id: "anon", layout: "slideout", msg: "m" })] });`,
    });
    await shown(page, "vip");
    await shown(page, "rec");
    expect(await page.locator("#vip .pf-widget-headline").textContent()).toBe("Welcome back Ada");
    expect(await present(page, "anon")).toBe(false);
    expect(await page.evaluate(() => (window as any).calls)).toEqual(["Ada"]);
    expect(await page.locator("#rec .pf-content-unit h4").textContent()).toBe("The guide");
    expect(requests).toEqual(["/api/content/recommend/legacy-acct/user/_uids/legacy-visitor?contentsegment=guides"]);
    expect(await page.evaluate(() => (window as any).jstag)).toBeUndefined();
  });

  it("recommendations with a minimal jstag stub: the visitor from jstag.config.cookie; default blocks when the API fails", async () => {
    const { page, context } = await open();
    await context.addCookies([{ name: "my_uid", value: "stub-visitor", url: baseUrl() }]);
    const requests: string[] = [];
    await page.route(`${baseUrl()}/api/content/recommend/**`, (route) => {
      const url = new URL(route.request().url());
      requests.push(url.pathname + url.search);
      return url.searchParams.get("contentsegment") === "down"
        ? route.fulfill({ status: 503, body: "down" })
        : route.fulfill({
            contentType: "application/json",
            body: JSON.stringify({ data: [{ url: "https://example.com/a", title: "First pick", author: "Kim" }] }),
          });
    });
    await openFixture(page, {
      noStub: true,
      setup: `window.__sent = []; window.jstag = { config: { cookie: "my_uid" }, send: function (d) { __sent.push(d); } };
        window.pathfora = { acctid: "acct-42" };`,
      body: `<div data-pfrecommend="blog" data-pfblock="one"><span data-pftype="title">fallback</span></div>
        <div data-pfrecommend="default" data-pfblock="one">default one</div>
        <div data-pfrecommend="down" data-pfblock="two"><span data-pftype="title">x</span></div>
        <div data-pfrecommend="default" data-pfblock="two">default two</div>`,
      init: `pathfora.initializeWidgets([new pathfora.Message({ id: "rec-default", layout: "slideout", variant: 3, msg: "m",
        recommend: { collection: "down" }, content: [{ default: true, title: "House pick", url: "https://example.com/house" }] })]);`,
    });
    await page.getByText("First pick").waitFor();
    await page.getByText("default two").waitFor();
    expect(await page.getByText("default one").isVisible()).toBe(false);
    await shown(page, "rec-default");
    expect(await page.locator("#rec-default .pf-content-unit h4").textContent()).toBe("House pick");
    expect(requests.sort()).toEqual([
      "/api/content/recommend/acct-42/user/_uids/stub-visitor?contentsegment=blog",
      "/api/content/recommend/acct-42/user/_uids/stub-visitor?contentsegment=down",
      "/api/content/recommend/acct-42/user/_uids/stub-visitor?contentsegment=down",
    ]);
    expect((await sent(page, "rec-default"))[0]).toMatchObject({
      "pf-widget-event": "show",
      "pf-widget-content": { default: true, title: "House pick", url: "https://example.com/house" },
    });
  });

  it("enableGA forwards widget events to every Google Analytics tracker, as Pathfora", async () => {
    const { page } = await open();
    await openFixture(page, {
      setup: `window.gaCalls = [];
        window.ga = function () { gaCalls.push([].slice.call(arguments)); };
        window.ga.getAll = function () { return [{ get: function () { return "gtm1"; } }, { get: function () { return "gtm2"; } }]; };`,
      init: `window.pathfora.enableGA = true;
        pathfora.initializeWidgets([new pathfora.Message({ id: "ga-w", layout: "slideout", msg: "m", confirmAction: { name: "Buy" } })]);`,
    });
    await shown(page, "ga-w");
    await page.locator("#ga-w .pf-widget-ok").click();
    await page.waitForFunction(() => (window as any).gaCalls.length >= 6);
    expect(await page.evaluate(() => (window as any).gaCalls)).toEqual([
      ["gtm1.send", "event", "Lytics", "ga-w : show", "", { nonInteraction: true }],
      ["gtm2.send", "event", "Lytics", "ga-w : show", "", { nonInteraction: true }],
      ["gtm1.send", "event", "Lytics", "ga-w : confirm", "", { nonInteraction: true }],
      ["gtm2.send", "event", "Lytics", "ga-w : confirm", "", { nonInteraction: true }],
      ["gtm1.send", "event", "Lytics", "ga-w : Buy", "", { nonInteraction: true }],
      ["gtm2.send", "event", "Lytics", "ga-w : Buy", "", { nonInteraction: true }],
    ]);
  });

  it("a form widget whose chunk cannot be loaded reports it instead of failing silently", async () => {
    const { page } = await open();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route(`${baseUrl()}/static/pathfora.forms.min.js`, (r) => r.fulfill({ status: 404, body: "" }));
    await openFixture(page, {
      init: `pathfora.initializeWidgets([new pathfora.Form({ id: "no-chunk", layout: "slideout" }), new pathfora.Message({ id: "still-shown", layout: "slideout", position: "bottom-right", msg: "m" })]);`,
    });
    await shown(page, "still-shown");
    await expect.poll(() => errors).toEqual(["Could not load pathfora.forms.min.js"]);
    expect(await present(page, "no-chunk")).toBe(false);
  });
});
