/**
 * What a page publishes about itself in its `<head>`, sent with its page
 * view as `_content` so the edge can discover the page as a content
 * document (no extra request): the canonical URL, og:title,
 * og:description / description, og:image, article:author / author,
 * article:published_time, keywords and every article:tag. Only present
 * values are sent; relative URLs are resolved against the page.
 */

const abs = (u: string | null | undefined): string | undefined =>
  u == null ? undefined : u && new URL(u, location.href).href;

/** The page's `_content` field, or undefined when the page publishes none of it. */
export function pageContent(): Record<string, string | string[]> | undefined {
  // One walk of the document (not one query per name): each meta's non-empty content under its property and its
  // name, in document order, and the first canonical link (`rel` compares case-insensitively, as in a selector).
  const found = new Map<string, string[]>();
  const add = (key: string, content: string) => {
    const list = found.get(key);
    if (list) list.push(content);
    else found.set(key, [content]);
  };
  let canonical: string | null | undefined;
  for (const el of document.querySelectorAll('meta,link[rel="canonical"]')) {
    if (el.localName === "link") {
      if (canonical === undefined) canonical = el.getAttribute("href");
      continue;
    }
    const content = (el.getAttribute("content") ?? "").trim();
    if (!content) continue;
    const property = el.getAttribute("property");
    const name = el.getAttribute("name");
    if (property !== null) add(property, content);
    if (name !== null && name !== property) add(name, content);
  }
  const first = (key: string): string | undefined => found.get(key)?.[0];
  const out: Record<string, string | string[] | undefined> = {
    url: abs(canonical),
    title: first("og:title"),
    description: first("og:description") ?? first("description"),
    image: abs(first("og:image")),
    author: first("article:author") ?? first("author"),
    published: first("article:published_time"),
    keywords: first("keywords"),
  };
  const tags = found.get("article:tag");
  if (tags) out.tags = tags;
  for (const k in out) if (out[k] === undefined) delete out[k];
  return Object.keys(out).length ? (out as Record<string, string | string[]>) : undefined;
}
