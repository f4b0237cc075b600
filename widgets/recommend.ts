/**
 * Content recommendations from the edge:
 * `${url}/api/content/recommend/${cid}/user/_uid/${uid}?...` with the
 * tag's account, origin and visitor id. Any failure yields no documents
 * and no error.
 */
import type { ContentItem, RecommendConfig, RecommendedDocument } from "../types/widgets";
import { tag } from "./env";
import { safeUrl } from "./util";

/** Recommended documents for the visitor (empty on any failure). */
export async function recommend(p: RecommendConfig): Promise<RecommendedDocument[]> {
  try {
    const t = tag()!;
    const c = t.config!;
    const cid = Array.isArray(c.cid) ? c.cid[0] : c.cid;
    const uid = await new Promise<string>((r) => t.getid!(r));
    const q = {
      limit: p.limit,
      rank: p.rank,
      visited: p.visited,
      shuffle: p.shuffle,
      contentsegment: p.collection ?? p.contentsegment,
      ql: p.ql?.raw,
    };
    const query = new URLSearchParams(Object.entries(q).filter((e) => e[1] != null) as [string, string][]);
    const res = await fetch(
      `${c.url!.replace(/\/$/, "")}/api/content/recommend/${cid}/user/_uid/${encodeURIComponent(uid)}?${query}`,
    );
    const data = res.ok && ((await res.json()) as { data?: RecommendedDocument[] }).data;
    return Array.isArray(data) ? data.filter((d) => (d.url = docUrl(d.url)!)) : [];
  } catch {
    return [];
  }
}

/** A document URL as a safe absolute http(s) URL (bare hosts get the page's scheme). */
const docUrl = (u: unknown): string | undefined =>
  typeof u == "string" ? safeUrl(/^[\w-]+(\.[\w-]+)+(\/|$)/.test(u) ? location.protocol + "//" + u : u) : undefined;

/** A recommended document as a content unit shows it. */
export const toContent = (d: RecommendedDocument): ContentItem => ({
  title: d.title,
  description: d.description,
  url: d.url,
  image: d.primary_image,
  date: d.created,
  author: d.author,
});

/** A date formatted with `pathfora.locale` and `dateOptions`. */
export const formatDate = (d: string, locale?: string, options?: Intl.DateTimeFormatOptions): string => {
  const pf = window.pathfora;
  return new Date(d).toLocaleDateString(locale || pf?.locale, options || pf?.dateOptions);
};
