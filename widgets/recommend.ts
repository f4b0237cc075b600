/**
 * Content recommendations, in Pathfora's request shape:
 * `<origin>/api/content/recommend/<acctid>/user/_uids/<uid>?<params>`,
 * the visitor being the cookie named by `jstag.config.cookie` (`seerid`
 * by default, as Pathfora), else the tag's `getid`, or `liosetup`'s field
 * and value. The origin is the tag's `config.url`, else the one
 * `pathfora.min.js` came from. Any failure yields no documents and no error.
 * Part of the personalization chunk (`pathfora.recommend.min.js`).
 */
import type { RecommendConfig, RecommendedDocument } from "../types/widgets";
import { account, base, tag } from "./env";
import { readCookie } from "./store";
import { safeUrl } from "./util";

/** Recommended documents for the visitor (empty on any failure). */
export async function recommend(p: RecommendConfig, acct = account()): Promise<RecommendedDocument[]> {
  try {
    const t = tag();
    const c = t?.config || {};
    const setup = window.liosetup;
    const field = (setup?.value && setup.field) || "_uids";
    const uid =
      (setup?.field && setup.value) ||
      readCookie(c.cookie || "seerid") ||
      (await new Promise<string>((r) => t!.getid!(r)));
    const q = {
      limit: p.limit,
      rank: p.rank,
      visited: p.visited,
      shuffle: p.shuffle,
      contentsegment: p.collection ?? p.contentsegment,
      ql: p.ql?.raw,
    };
    const query = new URLSearchParams(Object.entries(q).filter((e) => e[1] != null) as [string, string][]);
    const origin = (c.url || new URL(base).origin).replace(/\/$/, "");
    const res = await fetch(
      `${origin}/api/content/recommend/${acct}/user/${field}/${encodeURIComponent(uid)}?${query}`,
    );
    const data = res.ok && ((await res.json()) as { data?: RecommendedDocument[] }).data;
    return Array.isArray(data) ? data.filter((d) => (d.url = docUrl(d.url)!)) : [];
  } catch {
    return [];
  }
}

/**
 * A document URL as a safe absolute http(s) URL. The content API answers
 * scheme-less URLs (`host[:port]/path`, as the Lytics content table): any
 * URL without `scheme://` gets the page's scheme, so `localhost:8787/x` is a
 * host and port, never a scheme or a relative path.
 */
const docUrl = (u: unknown): string | undefined =>
  typeof u == "string" ? safeUrl(/^\w+:\/\//.test(u) ? u : location.protocol + "//" + u) : undefined;
