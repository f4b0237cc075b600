import { describe, expect, it } from "vitest";
import { api, baseUrl, useBrowser } from "./harness";
import { entityLoaded, openPage, recordCollects, tagPage } from "./pages";

const open = useBrowser();

/** The Lytics v3 install snippet, unchanged but for its src. */
const lyticsSnippet = (
  src: string,
) => `!function(){"use strict";var o=window.jstag||(window.jstag={}),r=[];function n(e){o[e]=function(){for(var n=arguments.length,t=new Array(n),i=0;i<n;i++)t[i]=arguments[i];r.push([e,t])}}n("send"),n("mock"),n("identify"),n("pageView"),n("unblock"),n("getid"),n("setid"),n("loadEntity"),n("getEntity"),n("on"),n("once"),n("call"),o.loadScript=function(n,t,i){var e=document.createElement("script");e.async=!0,e.src=n,e.onload=t,e.onerror=i;var o=document.getElementsByTagName("script")[0],r=o&&o.parentNode||document.head||document.body,c=o||r.lastChild;return null!=c?r.insertBefore(e,c):r.appendChild(e),this},o.init=function n(t){return this.config=t,this.loadScript(t.src,function(){if(o.init===n)throw new Error("Load error!");o.init(o.config),function(){for(var n=0;n<r.length;n++){var t=r[n][0],i=r[n][1];o[t].apply(o,i)}r=void 0}()}),this}}();
jstag.init({src: ${JSON.stringify(src)}});
jstag.pageView();`;

describe("drop-in for the Lytics v3 snippet", () => {
  it("works with only the src changed: init without cid, queue replayed, one page view", async () => {
    const { page } = await open();
    const rec = recordCollects(page);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await openPage(
      page,
      `<!doctype html><html><head><script>${lyticsSnippet(`${baseUrl()}/api/tag/demo/latest.min.js`)}
jstag.send({from: "lytics-snippet"});</script></head><body></body></html>`,
    );
    await entityLoaded(page);
    expect(errors).toEqual([]);
    const events = rec.bodies.flat();
    expect(events.filter((e) => e._e === "pv")).toHaveLength(1);
    expect(events.find((e) => e.from === "lytics-snippet")).toBeTruthy();
    expect(await page.evaluate(() => (window as any).jstag.config.cid)).toBe("demo");
    // Lytics' "verify the installation" checks.
    expect(await page.evaluate(() => (window as any).jstag.isLoaded)).toBe(true);
    expect(await page.evaluate(() => (window as any).jstag.config.version)).toMatch(/^3\.\d+\.\d+/);
  });
});

describe("tag API", () => {
  it("send tells arguments apart by type; mock builds without sending; call invokes by name", async () => {
    const { page } = await open();
    await openPage(page, tagPage({ config: { pageAnalysis: false, loadEntity: false } }));
    await page.waitForFunction(() => typeof (window as any).jstag.flush === "function");
    const rec = recordCollects(page);
    const result = await page.evaluate(async () => {
      const j = (window as any).jstag;
      const done: string[] = [];
      const mocked = j.mock({ m: 1 });
      j.send((e: any) => done.push(`cb1:${e.a}`), { a: "x" }, "streamA");
      j.call("send", "streamB", { b: "y" }, () => done.push("cb2"));
      j.identify({ email_hint: "z" });
      await j.flush();
      return { mocked, done };
    });
    expect(result.mocked).toMatchObject({ m: 1, _uid: expect.any(String), _v: expect.any(String) });
    expect(result.done.sort()).toEqual(["cb1:x", "cb2"]);
    const events = rec.bodies.flat();
    expect(events.find((e) => e.m)).toBeUndefined();
    expect(events.map((e) => e.a ?? e.b ?? e.email_hint)).toEqual(expect.arrayContaining(["x", "y", "z"]));
  });

  it("block holds sends until unblock, and unblocks by itself after blockTimeout", async () => {
    const { page } = await open();
    const rec = recordCollects(page);
    await openPage(page, tagPage({ config: { blocked: true, blockTimeout: 800, loadEntity: false } }));
    await page.waitForTimeout(300);
    expect(rec.bodies).toHaveLength(0);
    await page.waitForTimeout(1000);
    expect(rec.bodies.flat().filter((e) => e._e === "pv")).toHaveLength(1);
    await page.evaluate(() => (window as any).jstag.block());
    await page.evaluate(() => (window as any).jstag.send({ held: 1 }));
    await page.waitForTimeout(200);
    expect(rec.bodies.flat().some((e) => e.held)).toBe(false);
    await page.evaluate(() => (window as any).jstag.unblock());
    await page.waitForFunction(() => JSON.parse(localStorage.getItem("_pl_outbox") || "[]").length === 0);
    expect(rec.bodies.flat().some((e) => e.held)).toBe(true);
  });

  it("on/once with wildcards, entityReady before and after loading", async () => {
    const { page } = await open();
    await openPage(
      page,
      tagPage({
        before: `window.log = []; jstag.on("entity.*", function(){ log.push("entity.*") }); jstag.entityReady(function(){ log.push("ready") }); jstag.on("*", function(t){});`,
      }),
    );
    await entityLoaded(page);
    const log = await page.evaluate(async () => {
      const j = (window as any).jstag;
      const w = window as any;
      const off = j.on("send.finished", () => w.log.push("sent"));
      j.once("send.*", () => w.log.push("once"));
      await new Promise((r) => j.send({ x: 1 }, r));
      off();
      await new Promise((r) => j.send({ x: 2 }, r));
      j.entityReady(() => w.log.push("ready-late"));
      return w.log;
    });
    expect(log.filter((l: string) => l === "sent")).toHaveLength(1);
    expect(log.filter((l: string) => l === "once")).toHaveLength(1);
    expect(log).toEqual(expect.arrayContaining(["entity.*", "ready", "ready-late"]));
  });

  it("flushes queued events with sendBeacon on pagehide", async () => {
    const { page, context } = await open();
    await openPage(page, tagPage({ config: { batchMs: 5000, loadEntity: false } }), "beacon");
    await page.waitForFunction(() => typeof (window as any).jstag.flush === "function");
    const uid: string = await page.evaluate(() => (window as any).jstag.getid());
    await page.evaluate(() => (window as any).jstag.send({ beaconed: "yes" }));
    await page.goto("about:blank");
    let body: any;
    // The beacon is stored when the browser gets to it: up to 15 s on a loaded machine.
    for (let i = 0; i < 150 && body?.data?.beaconed !== "yes"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = await (await api(`/api/entity/user/_uid/${uid}?cid=demo`)).json();
    }
    expect(body.data.beaconed).toBe("yes");
    await context.close();
  });

  it("sends the automatic page view on pagehide when the visitor leaves before the browser was idle", async () => {
    const { page, context } = await open();
    // A busy page: the browser never gets idle, so the tag's deferred page view never runs on its own.
    await page.addInitScript(() => {
      (window as any).requestIdleCallback = () => 0;
    });
    const url = await openPage(page, tagPage({ config: { loadEntity: false } }), "leave-early");
    await page.waitForFunction(() => (window as any).jstag.isLoaded === true);
    const uid: string = await page.evaluate(() => (window as any).jstag.getid());
    // The visitor navigates away (pagehide) before the idle callback ran.
    await page.goto("about:blank");
    let body: any;
    // The beacon is stored when the browser gets to it: up to 15 s on a loaded machine.
    for (let i = 0; i < 150 && !body?.data?.url; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = await (await api(`/api/entity/user/_uid/${uid}?cid=demo`)).json();
    }
    // Only a page view (`_e: "pv"`) carries the page's title.
    expect(body.data).toMatchObject({ url: url.replace(/^https?:\/\//, ""), title: "Test page", visitct: 1 });
    await context.close();
  });

  it("identifies the entity by field when configured (entity.byFieldKey)", async () => {
    await api("/api/account?cid=demo", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ personalize_fields: ["user_id"] }),
    });
    await api("/collect/json/crm?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: "member-7", name: "Member Seven" }),
    });
    const { page } = await open();
    await openPage(page, tagPage({ config: { entity: { byFieldKey: "user_id", byFieldValue: "member-7" } } }));
    await entityLoaded(page);
    expect(await page.evaluate(() => (window as any).jstag.getEntity().data.user.name)).toBe("Member Seven");
  });

  it("a tag script that fails to load leaves the stubs working and silent", async () => {
    const { page } = await open();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/api/tag/demo/latest.min.js", (r) => r.abort());
    await openPage(
      page,
      tagPage({ before: `window.out = [jstag.getSegments(), jstag.isOptedOut(), jstag.send({a:1})];` }),
    );
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as any).out)).toEqual([["all"], false, undefined]);
    expect(errors).toEqual([]);
  });

  it("tracks SPA navigation when history tracking is on", async () => {
    const { page } = await open();
    const rec = recordCollects(page);
    await openPage(page, tagPage({ config: { history: true } }));
    await entityLoaded(page);
    await page.evaluate(() => history.pushState({}, "", "/fixture/spa-next"));
    await page.waitForFunction(() => JSON.parse(localStorage.getItem("_pl_outbox") || "[]").length === 0);
    await page.waitForTimeout(200);
    const views = rec.bodies.flat().filter((e) => e._e === "pv");
    expect(views).toHaveLength(2);
    expect(views[1].url).toMatch(/\/fixture\/spa-next$/);
  });
});

describe("identity and consent options", () => {
  it("loadid adopts the cross-domain id from /cid and links the old cookie id", async () => {
    const { page, context } = await open();
    await openPage(page, tagPage({ config: { loadid: true } }), "loadid");
    await entityLoaded(page);
    await page.waitForFunction(() => JSON.parse(localStorage.getItem("_pl_outbox") || "[]").length === 0);
    const xid = (await context.cookies()).find((c) => c.name === "pl_xid")!.value;
    expect(await page.evaluate(() => (window as any).jstag.getid())).toBe(xid);
    const res = await api(`/api/entity/user/_uid/${xid}?cid=demo`);
    expect(res.status).toBe(200);
  });

  it("loadid: a page view made while the id lookup is pending still reaches the edge when the visitor leaves", async () => {
    const { page, context } = await open();
    // The cross-domain id lookup never answers while the visitor is on the page (a slow or blocked /cid).
    await page.route("**/cid/demo", () => {});
    await openPage(
      page,
      tagPage({ config: { loadid: true, blockTimeout: 30_000, loadEntity: false }, before: "jstag.pageView();" }),
      "loadid-leave",
    );
    await page.waitForFunction(() => (window as any).jstag.isLoaded === true);
    const uid: string = await page.evaluate(() => (window as any).jstag.getid());
    // The visitor navigates away (pagehide) while the lookup is still pending.
    await page.goto("about:blank");
    let body: any;
    // The beacon is stored when the browser gets to it: up to 15 s on a loaded machine.
    for (let i = 0; i < 150 && !body?.data?.title; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = await (await api(`/api/entity/user/_uid/${uid}?cid=demo`)).json();
    }
    expect(body.data).toMatchObject({ title: "Test page", visitct: 1 });
    await context.close();
  });

  it("consent.required collects nothing until optIn", async () => {
    const { page } = await open();
    const rec = recordCollects(page);
    await openPage(page, tagPage({ config: { consent: { required: true } } }), "consent");
    await page.waitForTimeout(400);
    expect(rec.bodies).toHaveLength(0);
    expect(await page.evaluate(() => (window as any).jstag.isOptedOut())).toBe(true);
    const changed = page.evaluate(() => new Promise((r) => (window as any).jstag.on("consent.changed", r)));
    await page.evaluate(() => (window as any).jstag.optIn());
    expect(await changed).toBe(true);
    await page.evaluate(() => new Promise((done) => (window as any).jstag.send({ consented: true }, done)));
    expect(rec.bodies.flat().some((e) => e.consented)).toBe(true);
  });
});

describe("storage blocked", () => {
  it("works with storage that refuses every write (Safari private mode), keeping the outbox in memory", async () => {
    const { page } = await open();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException("QuotaExceededError", "QuotaExceededError");
      };
    });
    const rec = recordCollects(page);
    await openPage(page, tagPage(), "nostorage");
    await entityLoaded(page);
    await page.evaluate(() => new Promise((done) => (window as any).jstag.send({ private_mode: true }, done)));
    expect(rec.bodies.flat().some((e) => e.private_mode)).toBe(true);
    expect(await page.evaluate(() => (window as any).jstag.getSegments())).toEqual(["all"]);
    expect(errors).toEqual([]);
  });
});

describe("demo site", () => {
  it("shows the uid, sends from the panel and shows the updated profile", async () => {
    const { page } = await open();
    await page.goto(`${baseUrl()}/demo/`);
    await page.waitForFunction(() => document.getElementById("pl-uid")?.textContent !== "…");
    await page.waitForFunction(() => document.getElementById("pl-entity")?.textContent?.includes('"segments"'));
    await page.fill("#pl-name", "Demo Dana");
    await page.click("#pl-send-name");
    await page.waitForFunction(() => document.getElementById("pl-entity")?.textContent?.includes("Demo Dana"));
    expect(await page.textContent("#pl-segments")).toBe('["all"]');
    // An article page: same visitor, the topic button records the article's topic.
    await page.click("nav >> text=Coffee");
    await page.waitForFunction(() => document.getElementById("pl-entity")?.textContent?.includes("Demo Dana"));
    await page.click("#pl-topic");
    // The outbox lives in memory while the page is up: wait for the profile to have the field.
    const uid = await page.textContent("#pl-uid");
    const profile = async () => (await (await api(`/api/entity/user/_uid/${uid}?cid=demo`)).json()).data;
    await expect.poll(profile, { timeout: 10_000 }).toMatchObject({ name: "Demo Dana", favorite_topic: "food" });
  });
});
