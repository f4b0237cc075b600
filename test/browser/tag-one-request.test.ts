import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { api, baseUrl, useBrowser } from "./harness";
import { entityLoaded, openPage, tagPage } from "./pages";

const open = useBrowser();

/**
 * The page's data requests to the worker (collect, `/personalize`, `/cid`): method, path and query. Scripts are
 * left out (the tag itself; Pathfora and the experience runtime when the shared demo account has published experiences).
 */
function recordRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.origin !== baseUrl() || !/^\/(c|personalize|cid)(\/|$)/.test(u.pathname)) return;
    seen.push(`${r.method()} ${u.pathname}${u.search}`);
  });
  return seen;
}

/** A public audience of visitors whose `tl_plan` is "gold" (in the shared demo account). */
async function goldAudience(): Promise<void> {
  const res = await api("/v2/segment?cid=demo", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ slug_name: "tl_gold", segment_ql: 'FILTER tl_plan = "gold"', is_public: true }),
  });
  if (res.status !== 201 && res.status !== 409) throw new Error(`audience: ${res.status} ${await res.text()}`);
}

describe("page view and entity in one request", () => {
  it("a page load sends the page view and loads the entity in one request, with the segments it earned", async () => {
    await goldAudience();
    const { page } = await open();
    const requests = recordRequests(page);
    await openPage(
      page,
      tagPage({
        before: `jstag.send({tl_plan: "gold"});
jstag.on("entity.loaded", function (e) { window.loadedTopic = e.data.user.segments; });
jstag.entityReady(function (e) { window.readySegments = e.data.user.segments; });`,
      }),
    );
    await entityLoaded(page);
    await page.waitForTimeout(300);
    expect(requests).toEqual(["POST /c/demo/default?_entity=1"]);
    const seen = await page.evaluate(() => {
      const j = (window as any).jstag;
      return {
        id: j.getid(),
        user: j.getEntity().data.user,
        segments: j.getSegments(),
        cached: JSON.parse(localStorage.getItem("lytics_segments") ?? "null"),
        topic: (window as any).loadedTopic,
        ready: (window as any).readySegments,
      };
    });
    // The queued send went in the same batch as the page view, so the entity already reflects it.
    expect(seen.user._uid).toBe(seen.id);
    expect(seen.user.segments).toEqual(expect.arrayContaining(["all", "tl_gold"]));
    expect(seen.segments).toEqual(seen.user.segments);
    expect(seen.cached).toEqual(seen.user.segments);
    expect(seen.topic).toEqual(seen.user.segments);
    expect(seen.ready).toEqual(seen.user.segments);
    // The same entity /personalize answers.
    const personalize = await (await fetch(`${baseUrl()}/personalize?cid=demo&uid=${seen.id}`)).json();
    expect(seen.user).toEqual(personalize.data.user);
  });

  it("a page's own jstag.pageView() goes with the entity request; a later jstag.loadEntity(cb) asks /personalize", async () => {
    const { page } = await open();
    const requests = recordRequests(page);
    await openPage(page, tagPage({ before: "jstag.pageView();" }));
    await entityLoaded(page);
    expect(requests.filter((r) => r.startsWith("POST /c/demo/default"))).toEqual(["POST /c/demo/default?_entity=1"]);
    // A later loadEntity with nothing queued asks /personalize, as before.
    const later = await page.evaluate(
      () =>
        new Promise<any>((done) =>
          (window as any).jstag.send({ tl_plan: "gold" }, () =>
            (window as any).jstag.loadEntity((e: any) => done(e.data.user.segments)),
          ),
        ),
    );
    expect(later).toContain("all");
    expect(requests.some((r) => r.startsWith("GET /personalize?cid=demo&uid="))).toBe(true);
  });

  it("a loadEntity right after a send carries the send and answers its segments (jstag.send then jstag.loadEntity)", async () => {
    await goldAudience();
    const { page } = await open();
    await openPage(page, tagPage({ config: { pageAnalysis: false, loadEntity: false } }));
    await page.waitForFunction(() => typeof (window as any).jstag.flush === "function");
    const requests = recordRequests(page);
    const segments = await page.evaluate(async () => {
      const j = (window as any).jstag;
      j.send({ tl_plan: "gold" });
      const e = await j.loadEntity();
      return { fromPromise: e.data.user.segments, getSegments: j.getSegments() };
    });
    expect(requests).toEqual(["POST /c/demo/default?_entity=1"]);
    expect(segments.fromPromise).toContain("tl_gold");
    expect(segments.getSegments).toContain("tl_gold");
  });

  it("while sends are blocked the entity still loads from /personalize, and the page view waits", async () => {
    const { page } = await open();
    const requests = recordRequests(page);
    await openPage(page, tagPage({ config: { blocked: true, blockTimeout: 60_000 } }));
    await entityLoaded(page);
    expect(requests.filter((r) => r.startsWith("POST"))).toEqual([]);
    expect(requests.some((r) => r.startsWith("GET /personalize?"))).toBe(true);
    await page.evaluate(() => (window as any).jstag.unblock());
    await page.waitForFunction(() => (window as any).jstag.getEntity());
    await page.waitForTimeout(300);
    expect(requests.filter((r) => r.startsWith("POST"))).toEqual(["POST /c/demo/default"]);
  });
});
