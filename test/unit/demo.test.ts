import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emptyAffinityState, recordView } from "../../edge/profiles/affinity/affinity";
import type { ContentDocument } from "../../edge/content/contract";
import { discoverDocument } from "../../edge/content/discovery";
import { recommend, parseRecommendQuery } from "../../edge/content/recommend";
import { buildCorpus, extractTopics } from "../../edge/content/topics";

interface Article {
  slug: string;
  tag: string;
  [key: string]: string | boolean;
}
const articles: Article[] = JSON.parse(readFileSync("demo/articles.json", "utf8"));
const template = readFileSync("demo/article.template.html", "utf8");
const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot);/g, (_, e) => ({ amp: "&", lt: "<", gt: ">", quot: '"' })[e as "amp"]);
/** An article page as the build writes it (the same substitution as scripts/post-build.mjs). */
const render = (a: Article) => template.replace(/\{\{(\w+)\}\}/g, (_, k) => escapeHtml(String(a[k])));
const BASE = "http://127.0.0.1:8787/demo/";

/** The meta tags of a page, as [attribute value, content] pairs. */
const metas = (html: string) =>
  [...html.matchAll(/<meta (?:name|property)="([^"]+)" content="([^"]*)">/g)].map((m) => [
    m[1]!,
    decodeEntities(m[2]!),
  ]);
const meta = (html: string, name: string) =>
  metas(html)
    .filter(([n]) => n === name)
    .map(([, c]) => c!);

describe("demo site articles", () => {
  it("has a dozen articles, four for each of its three topics", () => {
    expect(articles).toHaveLength(12);
    const byTag: Record<string, number> = {};
    for (const a of articles) byTag[a.tag] = (byTag[a.tag] ?? 0) + 1;
    expect(byTag).toEqual({ hiking: 4, coffee: 4, cycling: 4 });
    expect(new Set(articles.map((a) => a.slug)).size).toBe(12);
  });

  it("publishes the meta tags a real publisher sets on every article", () => {
    for (const a of articles) {
      const html = render(a);
      expect(html, a.slug).toContain(`<link rel="canonical" href="article-${a.slug}.html">`);
      for (const name of [
        "description",
        "keywords",
        "og:title",
        "og:description",
        "og:image",
        "article:author",
        "article:published_time",
      ])
        expect(meta(html, name), `${a.slug} ${name}`).toHaveLength(1);
      expect(meta(html, "article:tag")).toEqual([a.tag, a.tag2]);
      expect(Number.isNaN(Date.parse(meta(html, "article:published_time")[0]!))).toBe(false);
      expect(html).not.toMatch(/\{\{|undefined/);
    }
  });

  it("carries an inline Pathfora recommendation block with a default", () => {
    const html = render(articles[0]!);
    const blocks = [...html.matchAll(/<div class="rec" data-pfrecommend="([^"]+)" data-pfblock="([^"]+)">/g)];
    expect(blocks.map((b) => b[1])).toEqual(["demo_articles", "demo_articles", "demo_articles", "default"]);
    expect(new Set(blocks.map((b) => b[2]))).toEqual(new Set(["rec1", "rec2", "rec3"]));
    for (const type of ["url", "image", "title", "description", "author", "published"])
      expect(html).toContain(`data-pftype="${type}"`);
  });

  it("gives documents and recommendations by topic once discovered from page views", () => {
    // What the tag sends for each page view: the page URL and title plus the _content meta.
    const docs = new Map<string, ContentDocument>();
    for (const a of articles) {
      const html = render(a);
      const event = {
        _e: "pv",
        url: `127.0.0.1:8787/demo/article-${a.slug}.html`,
        title: html.match(/<title>(.*)<\/title>/)![1],
        _content: {
          url: new URL(html.match(/rel="canonical" href="([^"]+)"/)![1]!, BASE).href,
          title: meta(html, "og:title")[0],
          description: meta(html, "og:description")[0],
          image: new URL(meta(html, "og:image")[0]!, BASE).href,
          author: meta(html, "article:author")[0],
          published: meta(html, "article:published_time")[0],
          keywords: meta(html, "keywords")[0],
          tags: meta(html, "article:tag"),
        },
      };
      const r = discoverDocument(event, (u) => docs.get(u), { paths: ["/demo/article-*"] }, Date.UTC(2026, 10, 1));
      if (r.status === "skipped") throw new Error(r.reason);
      docs.set(r.doc.url, r.doc);
    }
    expect(docs.size).toBe(12);
    const corpus = buildCorpus(docs.values());
    for (const [url, d] of docs) docs.set(url, { ...d, topics: extractTopics(d, corpus) });
    const hiking = docs.get("127.0.0.1:8787/demo/article-hiking.html")!;
    expect(hiking.topics).toMatchObject({ hiking: 1, trails: 1, autumn: 1 });
    expect(hiking.primary_image).toBe("http://127.0.0.1:8787/demo/img/hiking.svg");

    // A reader of two coffee articles gets the two other coffee articles first.
    let profile = emptyAffinityState();
    for (const slug of ["coffee", "grinders"])
      profile = recordView(profile, docs.get(`127.0.0.1:8787/demo/article-${slug}.html`)!, Date.UTC(2026, 10, 1)).state;
    const q = parseRecommendQuery({ limit: "3" });
    if (!q.ok) throw new Error("params");
    const items = recommend({ docs: docs.values(), profile, params: q.value, now: Date.UTC(2026, 10, 1, 1) });
    expect(
      items
        .slice(0, 2)
        .map((i) => i.url.replace(/.*article-|\.html/g, ""))
        .sort(),
    ).toEqual(["pourover", "roasts"]);
  });
});
