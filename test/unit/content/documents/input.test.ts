import { describe, expect, it } from "vitest";
import { csvMapping, csvRecordToInput } from "../../../../edge/content/import/csv-mapping";
import { MAX_BATCH, parseDocumentInputs, parseDocumentPatches } from "../../../../edge/content/documents/input";

const doc = {
  url: "https://www.example.com/blog/ten-quiet-trails",
  title: "Ten quiet trails for autumn",
  description: "Hiking away from the crowds.",
  primary_image: "https://www.example.com/img/trails.jpg",
  author: "Ana Ruiz",
  published: "2024-09-20T08:00:00Z",
  keywords: ["hiking", "autumn"],
};

describe("document input", () => {
  it("accepts one document, an array, or { documents: [...] }", () => {
    expect(parseDocumentInputs(doc)).toEqual({ ok: true, value: [doc] });
    expect(parseDocumentInputs([doc, { url: "example.com/x" }])).toMatchObject({ ok: true, value: [doc, {}] });
    expect(parseDocumentInputs({ documents: [doc] })).toEqual({ ok: true, value: [doc] });
  });

  it("names the field and the index of each problem", () => {
    const r = parseDocumentInputs([
      doc,
      { ...doc, title: 5, published: "last tuesday" },
      { title: "no url", colour: "red" },
      { ...doc, primary_image: "javascript:alert(1)", topics: { hiking: 2 } },
    ]);
    expect(r.ok).toBe(false);
    const problems = !r.ok ? r.problems : [];
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(["1.title", "1.published", "2.url", "3.primary_image", "3.topics.hiking"]),
    );
    expect(problems).toContainEqual({ path: "2", message: "unknown field colour" });
    expect(problems).toContainEqual({ path: "2.url", message: "required" });
    expect(problems.filter((p) => p.path === "1.published")).toHaveLength(1);
    expect(problems.find((p) => p.path === "1.published")?.message).toMatch(/ISO-8601/);
  });

  it(`refuses an empty batch and more than ${MAX_BATCH} documents`, () => {
    expect(parseDocumentInputs([])).toEqual({ ok: false, problems: [{ message: "no documents given" }] });
    const many = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ url: `example.com/${i}` }));
    const r = parseDocumentInputs(many);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]!.message).toMatch(/at most 1000 documents/);
    expect(parseDocumentInputs(many.slice(1)).ok).toBe(true);
  });

  it("accepts epoch milliseconds and date-only publication times, and topics as labels or weights", () => {
    expect(parseDocumentInputs({ url: "example.com/a", published: 1_700_000_000_000 }).ok).toBe(true);
    expect(parseDocumentInputs({ url: "example.com/a", published: "2024-09-20" }).ok).toBe(true);
    expect(parseDocumentInputs({ url: "example.com/a", topics: ["hiking"] }).ok).toBe(true);
    expect(parseDocumentInputs({ url: "example.com/a", topics: { hiking: 0.5 } }).ok).toBe(true);
    expect(parseDocumentInputs({ url: "example.com/a", published: "2024-13-45" }).ok).toBe(false);
  });

  it("lets an update clear fields with null", () => {
    expect(parseDocumentPatches({ url: "example.com/a", author: null, topics: null })).toEqual({
      ok: true,
      value: [{ url: "example.com/a", author: null, topics: null }],
    });
    expect(parseDocumentInputs({ url: "example.com/a", author: null }).ok).toBe(false);
  });
});

describe("CSV import mapping", () => {
  it("maps header names case-insensitively, with aliases, and reports unused columns", () => {
    const r = csvMapping(["URL", "Title", "og:image", "Published At", "Tags", "internal id"]);
    expect(r).toEqual({
      ok: true,
      value: {
        columns: [
          [0, "url"],
          [1, "title"],
          [2, "primary_image"],
          [3, "published"],
          [4, "keywords"],
        ],
        ignored: ["internal id"],
      },
    });
  });

  it("refuses a header without a url column or filling a field twice", () => {
    const r = csvMapping(["title", "summary", "description"]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.message)).toEqual([
      'column "description" fills description, as "summary" does',
      "the header has no url column (one of: url, link, canonical, canonical_url)",
    ]);
  });

  it("turns records into documents; empty cells are absent; labels split on | and ,", () => {
    const m = csvMapping(["url", "title", "topics", "published", "author"]);
    if (!m.ok) throw new Error("mapping");
    expect(csvRecordToInput(m.value, ["example.com/a", "A", "hiking|trail running", "1726819200000", ""])).toEqual({
      ok: true,
      value: { url: "example.com/a", title: "A", topics: ["hiking", "trail running"], published: 1726819200000 },
    });
    const bad = csvRecordToInput(m.value, ["", "B", "", "yesterday", ""]);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.path)).toEqual(["url", "published"]);
  });
});
