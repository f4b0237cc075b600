/**
 * What a page publishes about itself in its `<head>`, sent with its page
 * view as `_content` so the edge can discover the page as a content
 * document (no extra request): the canonical URL, og:title,
 * og:description / description, og:image, article:author / author,
 * article:published_time, keywords and every article:tag. Only present
 * values are sent; relative URLs are resolved against the page.
 */
const meta = (name: string): string[] =>
  [...document.querySelectorAll<HTMLMetaElement>(`meta[property="${name}"],meta[name="${name}"]`)]
    .map((m) => m.content.trim())
    .filter(Boolean);

const abs = (u: string | undefined): string | undefined => u && new URL(u, location.href).href;

/** The page's `_content` field, or undefined when the page publishes none of it. */
export function pageContent(): Record<string, string | string[]> | undefined {
  const out: Record<string, string | string[] | undefined> = {
    url: abs(document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.getAttribute("href") ?? undefined),
    title: meta("og:title")[0],
    description: meta("og:description")[0] ?? meta("description")[0],
    image: abs(meta("og:image")[0]),
    author: meta("article:author")[0] ?? meta("author")[0],
    published: meta("article:published_time")[0],
    keywords: meta("keywords")[0],
  };
  const tags = meta("article:tag");
  if (tags.length) out.tags = tags;
  for (const k in out) if (out[k] === undefined) delete out[k];
  return Object.keys(out).length ? (out as Record<string, string | string[]>) : undefined;
}
