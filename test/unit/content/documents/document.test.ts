import { describe, expect, it } from "vitest";
import {
  applyDocumentInput,
  canonicalKeys,
  addViewCount,
  countView,
  documentRow,
  newDocument,
  toIsoTime,
} from "../../../../edge/content/documents/document";
import { compile, parse } from "../../../../edge/segmentql";

const T0 = Date.UTC(2024, 9, 1, 12);

describe("documents", () => {
  it("creates a document from API input with normalised labels and times", () => {
    const doc = applyDocumentInput(
      undefined,
      "www.example.com/blog/trails",
      {
        kind: "replace",
        input: {
          url: "https://www.example.com/blog/trails/",
          title: " Ten quiet trails ",
          published: "2024-09-20",
          keywords: "Hiking, Autumn",
        },
      },
      "api",
      T0,
    );
    expect(doc).toEqual({
      url: "www.example.com/blog/trails",
      title: "Ten quiet trails",
      published: "2024-09-20T00:00:00.000Z",
      keywords: ["hiking", "autumn"],
      topics: {},
      manual_topics: false,
      views: 0,
      unique_visitors: 0,
      created: "2024-10-01T12:00:00.000Z",
      updated: "2024-10-01T12:00:00.000Z",
      source: "api",
    });
  });

  it("replaces all fields on create/replace but keeps counters and created", () => {
    let doc = countView(newDocument("example.com/a", "discovery", T0), T0);
    doc = { ...doc, title: "Old", author: "Someone" };
    const next = applyDocumentInput(
      doc,
      "example.com/a",
      { kind: "replace", input: { url: "example.com/a", title: "New" } },
      "api",
      T0 + 1000,
    );
    expect(next).toMatchObject({ title: "New", views: 1, created: doc.created, source: "api" });
    expect(next.author).toBeUndefined();
    expect(doc.title).toBe("Old");
  });

  it("updates only the given fields; null clears; topics by hand and back to extraction", () => {
    const doc = { ...newDocument("example.com/a", "api", T0), title: "T", author: "A" };
    const manual = applyDocumentInput(
      doc,
      doc.url,
      { kind: "patch", patch: { url: doc.url, author: null, topics: ["Hiking", "gear"] } },
      "api",
      T0,
    );
    expect(manual).toMatchObject({ title: "T", topics: { hiking: 1, gear: 1 }, manual_topics: true });
    expect(manual.author).toBeUndefined();
    const weighted = applyDocumentInput(
      manual,
      doc.url,
      { kind: "patch", patch: { url: doc.url, topics: { Hiking: 0.4 } } },
      "api",
      T0,
    );
    expect(weighted.topics).toEqual({ hiking: 0.4 });
    const auto = applyDocumentInput(
      manual,
      doc.url,
      { kind: "patch", patch: { url: doc.url, topics: null } },
      "api",
      T0,
    );
    expect(auto).toMatchObject({ topics: {}, manual_topics: false });
  });

  it("counts views and unique visitors", () => {
    const doc = countView(countView(newDocument("example.com/a", "discovery", T0), T0), T0 + 5);
    expect(doc).toMatchObject({ views: 2, unique_visitors: 0, last_viewed: new Date(T0 + 5).toISOString() });
    // A batch counted in an isolate: views, first visits, and a last view that never moves back.
    const later = addViewCount(doc, { views: 3, unique_visitors: 1, last_viewed: T0 + 9 });
    expect(later).toMatchObject({ views: 5, unique_visitors: 1, last_viewed: new Date(T0 + 9).toISOString() });
    const visitorsOnly = addViewCount(later, { views: 0, unique_visitors: 2, last_viewed: null });
    expect(visitorsOnly).toMatchObject({ views: 5, unique_visitors: 3, last_viewed: new Date(T0 + 9).toISOString() });
    expect(addViewCount(later, { views: 1, unique_visitors: 0, last_viewed: T0 }).last_viewed).toBe(
      new Date(T0 + 9).toISOString(),
    );
  });

  it("names the batch index of a URL that is not a document URL", () => {
    expect(canonicalKeys([{ url: "https://Example.com/a/?utm_source=x" }], {}, false)).toEqual({
      ok: true,
      urls: ["example.com/a"],
    });
    expect(canonicalKeys([{ url: "example.com/a" }, { url: "mailto:x@example.com" }], {}, true)).toEqual({
      ok: false,
      problems: [{ path: "1.url", message: "not an http(s) URL" }],
    });
  });

  it("reads ISO strings and epoch milliseconds as times", () => {
    expect(toIsoTime(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(toIsoTime("2024-09-20 08:00:00Z")).toBe("2024-09-20T08:00:00.000Z");
    expect(toIsoTime("nonsense")).toBeUndefined();
  });
});

describe("the content table", () => {
  const doc = {
    ...newDocument("www.example.com/blog/trails", "api", T0),
    title: "Ten quiet trails",
    author: "Ana",
    published: "2024-09-20T00:00:00.000Z",
    topics: { hiking: 1, trail: 0.6 },
    views: 12,
  };
  const matches = (ql: string) => compile(parse(ql).ast).test(documentRow(doc), T0);

  it("answers Pathfora's url filters and topic, author and time conditions", () => {
    expect(matches('FILTER AND(url LIKE "www.example.com/blog/*") FROM content')).toBe(true);
    expect(matches('FILTER AND(url LIKE "www.example.com/shop/*") FROM content')).toBe(false);
    expect(matches('FILTER topics INTERSECTS ("hiking", "coffee") FROM content')).toBe(true);
    expect(matches("FILTER topic_relevances.trail > 0.5 FROM content")).toBe(true);
    expect(matches('FILTER AND (author = "Ana", views >= 10, published > "2024-09-01") FROM content')).toBe(true);
    expect(matches('FILTER created > "now-7d" FROM content')).toBe(false);
    expect(matches('FILTER path LIKE "/blog/*" FROM content')).toBe(true);
  });
});
