import { describe, expect, it } from "vitest";
import type { ContentDocument } from "../../../../edge/content/contract";
import { discoverDocument, readPageContent } from "../../../../edge/content/documents/discovery";
import { applyDocumentInput } from "../../../../edge/content/documents/document";

const T0 = Date.UTC(2024, 9, 1, 12);
const settings = { hosts: ["*.example.com"], paths: ["/blog/*"] };

/** A page view as the tag sends it from a publisher's article page. */
const pageView = (over: Record<string, unknown> = {}, content: Record<string, unknown> = {}) => ({
  _e: "pv",
  _uid: "visitor-1",
  url: "www.example.com/blog/ten-quiet-trails?utm_source=newsletter",
  title: "Ten quiet trails | Example",
  _content: {
    url: "https://www.example.com/blog/ten-quiet-trails",
    title: "Ten quiet trails for autumn",
    description: "Hiking away from the crowds.",
    image: "https://www.example.com/img/trails.jpg",
    author: "Ana Ruiz",
    published: "2024-09-20T08:00:00Z",
    keywords: "hiking, autumn",
    tags: ["Hiking", "Trails"],
    ...content,
  },
  ...over,
});

/** The content store of one account, as the content object keeps it. */
function store() {
  const docs = new Map<string, ContentDocument>();
  const view = (event: Record<string, unknown>, now = T0) => {
    const r = discoverDocument(event, (u) => docs.get(u), settings, now);
    if (r.status !== "skipped") docs.set(r.doc.url, r.doc);
    return r;
  };
  return { docs, view };
}

describe("discovery from page views", () => {
  it("creates a document from the page's meta tags", () => {
    const { docs, view } = store();
    expect(view(pageView())).toMatchObject({ status: "created", textChanged: true });
    expect([...docs.values()]).toEqual([
      {
        url: "www.example.com/blog/ten-quiet-trails",
        title: "Ten quiet trails for autumn",
        description: "Hiking away from the crowds.",
        primary_image: "https://www.example.com/img/trails.jpg",
        author: "Ana Ruiz",
        published: "2024-09-20T08:00:00.000Z",
        keywords: ["hiking", "autumn", "trails"],
        topics: {},
        manual_topics: false,
        views: 1,
        unique_visitors: 0,
        created: new Date(T0).toISOString(),
        updated: new Date(T0).toISOString(),
        last_viewed: new Date(T0).toISOString(),
        source: "discovery",
      },
    ]);
  });

  it("refreshes the same document on a second view, never duplicates it", () => {
    const { docs, view } = store();
    view(pageView());
    const second = view(pageView({ url: "www.example.com/blog/ten-quiet-trails/#comments" }), T0 + 60_000);
    expect(second).toMatchObject({ status: "refreshed", textChanged: false });
    expect(docs.size).toBe(1);
    expect(docs.get("www.example.com/blog/ten-quiet-trails")).toMatchObject({
      views: 2,
      updated: new Date(T0).toISOString(),
      last_viewed: new Date(T0 + 60_000).toISOString(),
    });
  });

  it("takes the publisher's new title; absent meta never erases", () => {
    const { docs, view } = store();
    view(pageView());
    const r = view(pageView({}, { title: "Twelve quiet trails", author: undefined, image: "" }), T0 + 1000);
    expect(r).toMatchObject({ status: "refreshed", textChanged: true });
    expect(docs.get("www.example.com/blog/ten-quiet-trails")).toMatchObject({
      title: "Twelve quiet trails",
      author: "Ana Ruiz",
      primary_image: "https://www.example.com/img/trails.jpg",
      updated: new Date(T0 + 1000).toISOString(),
    });
  });

  it("keeps what a marketer set through the API, filling only empty fields", () => {
    const { docs, view } = store();
    const url = "www.example.com/blog/ten-quiet-trails";
    docs.set(
      url,
      applyDocumentInput(undefined, url, { kind: "replace", input: { url, title: "Our title" } }, "api", T0),
    );
    view(pageView());
    expect(docs.get(url)).toMatchObject({ title: "Our title", author: "Ana Ruiz", views: 1, source: "api" });
  });

  it("falls back to the page URL and title when the page publishes no meta", () => {
    const { docs, view } = store();
    view({ _e: "pv", url: "blog.example.com/blog/plain?utm_medium=x", title: "Plain page" });
    expect(docs.get("blog.example.com/blog/plain")).toMatchObject({ title: "Plain page", keywords: [] });
  });

  it("skips events that are not page views and pages that are not content", () => {
    const { docs, view } = store();
    expect(view({ ...pageView(), _e: undefined })).toEqual({ status: "skipped", reason: "not a page view" });
    expect(view(pageView({ url: "www.example.com/shop/cart" }, { url: undefined }))).toEqual({
      status: "skipped",
      reason: "not content",
    });
    expect(view(pageView({ url: "evil.org/blog/x" }, { url: "https://evil.org/blog/x" }))).toMatchObject({
      status: "skipped",
    });
    expect(docs.size).toBe(0);
  });

  it("ignores a canonical link to a host that is not content and keys by the page URL", () => {
    const { docs, view } = store();
    view(pageView({}, { url: "https://syndication.other.org/blog/ten-quiet-trails" }));
    expect([...docs.keys()]).toEqual(["www.example.com/blog/ten-quiet-trails"]);
  });

  it("drops an image that is not an absolute http(s) URL and cuts overlong text", () => {
    const { docs, view } = store();
    view(pageView({}, { image: "javascript:alert(1)", title: "x".repeat(600) }));
    const doc = docs.get("www.example.com/blog/ten-quiet-trails")!;
    expect(doc.primary_image).toBeUndefined();
    expect(doc.title).toHaveLength(500);
  });

  it("reads the flattened keys of the legacy wire format", () => {
    expect(
      readPageContent({
        _e: "pv",
        url: "www.example.com/blog/a",
        "_content.title": "Flat title",
        "_content.tags": ["a", "b"],
        "_content.keywords": "x, y",
      }),
    ).toEqual({ url: "www.example.com/blog/a", title: "Flat title", tags: ["a", "b"], keywords: ["x, y"] });
  });
});
