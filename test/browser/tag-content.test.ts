import { describe, expect, it } from "vitest";
import { baseUrl, useBrowser } from "./harness";
import { entityLoaded, openPage, recordCollects, snippet } from "./pages";

const open = useBrowser();

describe("page view _content (what the page publishes about itself)", () => {
  it("carries the canonical URL, og and article meta, description, author, keywords and every article:tag", async () => {
    const { page } = await open();
    const rec = recordCollects(page);
    const html = `<!doctype html><html><head><title>Trail guide - The Gazette</title>
<link rel="stylesheet" href="data:text/css,">
<link rel="Canonical" href="/articles/trail">
<link rel="canonical" href="/ignored-second-canonical">
<meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="__proto__" content="x">
<meta property="og:title" content="  Trail guide  ">
<meta property="og:description" content="">
<meta name="description" content="A plain description">
<meta property="og:image" content="img/trail.jpg">
<meta property="article:author" content="   ">
<meta name="author" content="Ada">
<meta property="article:published_time" content="2026-11-01T08:00:00Z">
<meta name="keywords" content="hiking, trails">
<meta property="article:tag" content="hiking"><meta name="article:tag" content="alps">
<script>${snippet()}
jstag.init(${JSON.stringify({ src: `${baseUrl()}/api/tag/demo/latest.min.js` })});
</script></head><body><h1>Trail guide</h1><meta property="article:tag" content="late"></body></html>`;
    const url = await openPage(page, html);
    await entityLoaded(page);
    const view = rec.bodies.flat().find((e) => e._e === "pv");
    expect(view._content).toEqual({
      url: new URL("/articles/trail", url).href,
      title: "Trail guide",
      description: "A plain description",
      image: new URL("img/trail.jpg", url).href,
      author: "Ada",
      published: "2026-11-01T08:00:00Z",
      keywords: "hiking, trails",
      tags: ["hiking", "alps", "late"],
    });
    expect(view.title).toBe("Trail guide - The Gazette");
  });

  it("a page that publishes none of it sends no _content", async () => {
    const { page } = await open();
    const rec = recordCollects(page);
    await openPage(
      page,
      `<!doctype html><html><head><title>Bare</title><meta name="viewport" content="width=device-width">
<script>${snippet()}
jstag.init(${JSON.stringify({ src: `${baseUrl()}/api/tag/demo/latest.min.js` })});
</script></head><body><p>bare</p></body></html>`,
    );
    await entityLoaded(page);
    const view = rec.bodies.flat().find((e) => e._e === "pv");
    expect(view).not.toHaveProperty("_content");
  });
});
