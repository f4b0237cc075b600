import { describe, expect, it } from "vitest";
import { api, baseUrl, useBrowser } from "./harness";
import { entityLoaded, openPage, recordCollects, tagPage } from "./pages";

const open = useBrowser();

/** The profile the entity API returns for a uid (admin token). */
async function profileOf(uid: string): Promise<any> {
  const res = await api(`/api/entity/user/_uids/${uid}?cid=demo&meta=true`);
  return { status: res.status, body: await res.json() };
}

describe("browser tag", () => {
  it("replays calls queued before the script loaded, in order, after a page view", async () => {
    const { page } = await open();
    const rec = recordCollects(page);
    const urls: string[] = [];
    page.on("request", (r) => r.method() === "POST" && urls.push(new URL(r.url()).pathname));
    await openPage(
      page,
      tagPage({
        before: `jstag.send({step: "one"}); jstag.send("clicks", {step: "other stream"}); jstag.send({step: "two"}); jstag.send({step: "three"});`,
      }),
    );
    await page.waitForFunction(() => (window as any).jstag.getEntity?.());
    const events = rec.bodies.flat();
    const steps = events.filter((e) => e.step && e.step !== "other stream").map((e) => e.step);
    expect(steps).toEqual(["one", "two", "three"]);
    // Calls within the batching window share one request per stream.
    expect(urls.sort()).toEqual(["/c/demo/clicks", "/c/demo/default"]);
    // The site queued sends but no page view of its own: the tag sent one.
    expect(events.filter((e) => e._e === "pv")).toHaveLength(1);
    const first = events[0];
    for (const key of ["_ts", "_uid", "_v", "_eid", "url", "_tz", "_ul", "_sz", "_device"])
      expect(first).toHaveProperty(key);
    expect(first.url).not.toMatch(/^https?:/);
  });

  it("sets the _uid cookie once and keeps it across reloads", async () => {
    const { page, context } = await open();
    await openPage(page, tagPage(), "stable");
    await entityLoaded(page);
    const first = (await context.cookies()).find((c) => c.name === "_uid");
    expect(first?.value).toMatch(/^[0-9a-f-]{36}$/);
    await page.reload();
    await entityLoaded(page);
    const again = (await context.cookies()).filter((c) => c.name === "_uid");
    expect(again).toHaveLength(1);
    expect(again[0]!.value).toBe(first!.value);
    expect(await page.evaluate(() => (window as any).jstag.getid())).toBe(first!.value);
  });

  it("a returning Lytics visitor keeps the id of their seerid cookie as _uid", async () => {
    const { page, context } = await open();
    await context.addCookies([{ name: "seerid", value: "lytics-visitor-7741", url: baseUrl() }]);
    const rec = recordCollects(page);
    await openPage(page, tagPage(), "seerid");
    await entityLoaded(page);
    expect((await context.cookies()).find((c) => c.name === "_uid")?.value).toBe("lytics-visitor-7741");
    expect(await page.evaluate(() => (window as any).jstag.getid())).toBe("lytics-visitor-7741");
    const view = rec.bodies.flat().find((e) => e._e === "pv");
    expect(view).toMatchObject({ _uid: "lytics-visitor-7741" });
    expect(view).not.toHaveProperty("_getid");
    expect(await page.evaluate(() => (window as any).jstag.getEntity().data.user._uid)).toBe("lytics-visitor-7741");
    const { status } = await profileOf("lytics-visitor-7741");
    expect(status).toBe(200);
  });

  it("send → field visible through the entity API and /personalize", async () => {
    const { page } = await open();
    await openPage(page, tagPage());
    await entityLoaded(page);
    const uid: string = await page.evaluate(() => (window as any).jstag.getid());
    await page.evaluate(() => new Promise((done) => (window as any).jstag.send({ name: "Grace", plan: "gold" }, done)));
    const { status, body } = await profileOf(uid);
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ name: "Grace", plan: "gold", _uids: [uid] });
    const entity = await page.evaluate(() => (window as any).jstag.loadEntity());
    expect(entity.data.user).toMatchObject({ _uid: uid, name: "Grace", segments: ["all"] });
  });

  it("setid links the old and the new id to one profile", async () => {
    const { page } = await open();
    await openPage(page, tagPage());
    await entityLoaded(page);
    const oldId: string = await page.evaluate(() => (window as any).jstag.getid());
    await page.evaluate(() => (window as any).jstag.setid("user-42-browser"));
    await page.evaluate(() => new Promise((done) => (window as any).jstag.send({ logged_in: true }, done)));
    const byOld = await profileOf(oldId);
    const byNew = await profileOf("user-42-browser");
    expect(byNew.status).toBe(200);
    expect(byOld.body.meta.id).toBe(byNew.body.meta.id);
    expect([...byNew.body.data._uids].sort()).toEqual([oldId, "user-42-browser"].sort());
  });

  it("keeps a failed send in the outbox and delivers it exactly once", async () => {
    const { page } = await open();
    await openPage(page, tagPage(), "outbox");
    await entityLoaded(page);
    const uid: string = await page.evaluate(() => (window as any).jstag.getid());
    let attempts = 0;
    // The first attempt reaches the worker but the answer is lost; the tag must retry.
    await page.route("**/c/demo/**", async (route) => {
      attempts++;
      await route.fetch();
      await route.abort("connectionreset");
    });
    await page.evaluate(() => (window as any).jstag.send({ outbox_check: "yes" }));
    await page.waitForFunction(() => JSON.parse(localStorage.getItem("_pl_outbox") || "[]").some((e: any) => e.a > 0));
    expect(attempts).toBe(1);
    await page.unroute("**/c/demo/**");
    await page.reload();
    await page.waitForFunction(() => JSON.parse(localStorage.getItem("_pl_outbox") || "[]").length === 0, null, {
      timeout: 15_000,
    });
    const { body } = await profileOf(uid);
    expect(body.data.outbox_check).toBe("yes");
    // Page views (2) + the event once, though it reached the worker twice.
    const res = await api(`/api/entity/user/_uids/${uid}?cid=demo&meta=true`);
    expect((await res.json()).meta.events).toBe(3);
  });

  it("optOut stops all requests and clears the cookie and the cache", async () => {
    const { page, context } = await open();
    await openPage(page, tagPage(), "optout");
    await entityLoaded(page);
    expect(await page.evaluate(() => localStorage.getItem("lytics_segments"))).not.toBeNull();
    await page.evaluate(() => (window as any).jstag.optOut());
    expect((await context.cookies()).find((c) => c.name === "_uid")).toBeUndefined();
    expect(await page.evaluate(() => localStorage.getItem("lytics_segments"))).toBeNull();
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().startsWith(baseUrl()) && !r.url().endsWith(".js") && !r.url().includes("/fixture/"))
        requests.push(r.url());
    });
    await page.evaluate(() => {
      const j = (window as any).jstag;
      j.send({ after: "optout" });
      j.pageView();
      return j.loadEntity();
    });
    await page.reload();
    await page.waitForTimeout(500);
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => (window as any).jstag.isOptedOut())).toBe(true);
    expect((await context.cookies()).find((c) => c.name === "_uid")).toBeUndefined();
    await page.evaluate(() => (window as any).jstag.optIn());
    await page.evaluate(() => new Promise((done) => (window as any).jstag.send({ back: true }, done)));
    expect(requests.some((u) => u.includes("/c/demo"))).toBe(true);
  });

  it("serves cached segments on the next page before the network answers", async () => {
    const { page } = await open();
    // First page: the edge says the visitor is in "vip" (the entity comes with the page view's collect call).
    const vip = { data: { user: { segments: ["all", "vip"] }, experiences: [] } };
    await page.route("**/c/demo/default?_entity=1", (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({ status: 200, message: "success", data: { received: 1, anonymous: 0 }, entity: vip }),
      }),
    );
    await page.route("**/personalize?**", (route) =>
      route.fulfill({ contentType: "application/json", body: JSON.stringify(vip) }),
    );
    await openPage(page, tagPage(), "cache1");
    await entityLoaded(page);
    await page.unrouteAll();
    // Next page: neither collect nor /personalize answers; getSegments must come from the cache.
    await page.route("**/c/demo/**", () => new Promise(() => {}));
    await page.route("**/personalize?**", () => new Promise(() => {}));
    await openPage(page, tagPage({ before: "window.early = jstag.getSegments();" }), "cache2");
    expect(await page.evaluate(() => (window as any).early)).toEqual(["all", "vip"]);
    await page.waitForFunction(() => typeof (window as any).jstag.flush === "function");
    expect(await page.evaluate(() => (window as any).jstag.getSegments())).toEqual(["all", "vip"]);
    expect(await page.evaluate(() => (window as any).jstag.getEntity())).toBeUndefined();
  });
});
