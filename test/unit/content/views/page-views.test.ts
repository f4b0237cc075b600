import { describe, expect, it } from "vitest";
import type { DiscoveredView, ViewCount } from "../../../../edge/content/contract";
import { type PageViewRpc, PageViews } from "../../../../edge/content/views/page-views";

/** A page view as the tag sends it from an article of the demo site. */
const pageView = (uid: string, slug: string, title = slug) => ({
  _e: "pv",
  _uid: uid,
  url: `localhost:8080/demo/${slug}`,
  title,
  _content: { url: `http://localhost:8080/demo/${slug}`, title },
});

/** A content object that records its calls: every page under /demo/ is a document about hiking. */
function fakeContent(fail = false) {
  const calls: string[] = [];
  const counted: ViewCount[][] = [];
  const rpc: PageViewRpc = {
    async discover(events) {
      calls.push(`discover ${events.length}`);
      return events.map((e): DiscoveredView | null =>
        String(e["url"]).includes("/demo/") ? { url: String(e["url"]), topics: { hiking: 1 } } : null,
      );
    },
    async countViews(counts) {
      calls.push("countViews");
      if (fail) throw new Error("object unavailable");
      counted.push(counts.map((c) => ({ ...c })));
    },
  };
  return { calls, counted, content: () => rpc };
}

const DOMAINS = ["localhost"];

describe("page views off the content object's hot path", () => {
  it("asks the object only for a page this isolate has not seen; a known page's view carries its topics without a call", async () => {
    const views = new PageViews({ now: () => 1000 });
    const { calls, content } = fakeContent();
    const deferred: Promise<unknown>[] = [];
    const first = pageView("u1", "trails");
    await views.discover("acc", DOMAINS, [first], content, (w) => deferred.push(w));
    expect(first).toMatchObject({ _content_doc: { url: "localhost:8080/demo/trails", topics: { hiking: 1 } } });
    expect(calls).toEqual(["discover 1"]);
    const again = [pageView("u2", "trails"), pageView("u3", "trails"), { _e: "click", _uid: "u3" }];
    await views.discover("acc", DOMAINS, again, content, (w) => deferred.push(w));
    expect(calls).toEqual(["discover 1"]);
    expect(again[0]).toMatchObject({ _content_doc: { url: "localhost:8080/demo/trails", topics: { hiking: 1 } } });
    expect(again[2]).not.toHaveProperty("_content_doc");
  });

  it("sends the views and first visits of many calls as one batch, after the response", async () => {
    let release!: () => void;
    const timer = new Promise<void>((r) => (release = r));
    const views = new PageViews({ now: () => 5000, sleep: () => timer });
    const { calls, counted, content } = fakeContent();
    const deferred: Promise<unknown>[] = [];
    const defer = (w: Promise<unknown>) => deferred.push(w);
    await views.discover("acc", DOMAINS, [pageView("u1", "trails")], content, defer);
    for (const uid of ["u2", "u3", "u4"])
      await views.discover("acc", DOMAINS, [pageView(uid, "trails")], content, defer);
    await views.countFirstVisits("acc", ["localhost:8080/demo/trails", "localhost:8080/demo/trails"], content, defer);
    expect(calls).toEqual(["discover 1"]);
    expect(deferred).toHaveLength(1);
    release();
    await Promise.all(deferred);
    expect(calls).toEqual(["discover 1", "countViews"]);
    // The first view was counted by the object when it discovered the page.
    expect(counted).toEqual([[{ url: "localhost:8080/demo/trails", views: 3, unique_visitors: 2, last_viewed: 5000 }]]);
  });

  it("lets a reader in the same isolate see every view counted so far (settle)", async () => {
    const views = new PageViews({ sleep: () => new Promise(() => {}) });
    const { counted, content } = fakeContent();
    const defer = () => {};
    await views.discover("acc", DOMAINS, [pageView("u1", "trails")], content, defer);
    await views.discover("acc", DOMAINS, [pageView("u2", "trails")], content, defer);
    await views.settle("acc", content);
    expect(counted.flat().map((c) => c.views)).toEqual([1]);
    await views.settle("acc", content);
    expect(counted).toHaveLength(1);
  });

  it("keeps the counts of a batch the object refused for the next one", async () => {
    const views = new PageViews();
    const broken = fakeContent(true);
    await views.discover("acc", DOMAINS, [pageView("u1", "trails")], broken.content, () => {});
    await views.discover("acc", DOMAINS, [pageView("u2", "trails")], broken.content, () => {});
    await views.settle("acc", broken.content);
    const healthy = fakeContent();
    await views.settle("acc", healthy.content);
    expect(healthy.counted.flat()).toMatchObject([{ url: "localhost:8080/demo/trails", views: 1 }]);
  });

  it("rediscovers a page whose meta changed, and every page of an account after a write to it", async () => {
    const views = new PageViews();
    const { calls, content } = fakeContent();
    await views.discover("acc", DOMAINS, [pageView("u1", "trails", "Ten trails")], content);
    await views.discover("acc", DOMAINS, [pageView("u1", "trails", "Ten trails (2026)")], content);
    expect(calls.filter((c) => c.startsWith("discover"))).toHaveLength(2);
    views.forget("acc");
    await views.discover("acc", DOMAINS, [pageView("u1", "trails", "Ten trails (2026)")], content);
    expect(calls.filter((c) => c.startsWith("discover"))).toHaveLength(3);
    // Another account's pages are its own.
    await views.discover("other", DOMAINS, [pageView("u1", "trails", "Ten trails (2026)")], content);
    expect(calls.filter((c) => c.startsWith("discover"))).toHaveLength(4);
  });

  it("remembers that a page is not content, and rediscovers pages once their entry expired", async () => {
    let now = 0;
    const views = new PageViews({ now: () => now, pageTtlMs: 60_000 });
    const { calls, content } = fakeContent();
    const home = { _e: "pv", _uid: "u1", url: "localhost:8080/", title: "Home" };
    await views.discover("acc", DOMAINS, [home], content);
    await views.discover("acc", DOMAINS, [{ ...home }], content);
    expect(calls).toEqual(["discover 1"]);
    expect(home).not.toHaveProperty("_content_doc");
    now = 60_001;
    await views.discover("acc", DOMAINS, [{ ...home }], content);
    expect(calls).toEqual(["discover 1", "discover 1"]);
  });
});
