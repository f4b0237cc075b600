/** `urlContains`: Pathfora's simple, exact, regex and substring URL rules. */
import type { UrlRule } from "../types/widgets";

type Query = Record<string, string>;

/** Query parameters of a URL (Lytics' preview parameter ignored). */
const query = (u: string): Query => {
  const q: Query = {};
  for (const pair of (u.split("?")[1] || "").split("&")) {
    const [k, v] = pair.split("=");
    if (v != null && k != "lytics_variation_preview_id") q[k!] = v;
  }
  return q;
};

const noSlash = (s: string): string => s.replace(/\/$/, "");

/** Whether one rule matches the current URL. */
function matches(rule: string | UrlRule, url: string, q: Query): boolean {
  const r = typeof rule == "string" ? { match: "substring", value: rule } : rule;
  const v = r.value || "";
  const want = query(v);
  const n = Object.keys(want).length;
  const base = v.split("?")[0]!;
  const sub = Object.keys(want).every((k) => want[k] === q[k]);
  switch (r.match) {
    case "simple":
      return noSlash(location.hostname + location.pathname) === noSlash(v);
    case "exact":
      return n
        ? noSlash(url.split("?")[0]!) === noSlash(base) && sub && Object.keys(q).length == n
        : noSlash(url) === noSlash(v);
    case "regex":
      return new RegExp(v).test(url);
  }
  return n ? url.includes(base) && sub : url.includes(v);
}

/**
 * Whether the page URL passes a widget's `urlContains`: any include rule
 * matches (or there is none) and no exclude rule matches; `"*"` matches all.
 */
export function urlAllowed(rules: (string | UrlRule)[] | Record<string, string | UrlRule>): boolean {
  const list = Array.isArray(rules) ? rules : Object.values(rules);
  if (list.includes("*")) return true;
  const url = location.href;
  const q = query(url);
  const inc = list.filter((r) => !(r as UrlRule).exclude);
  return (
    (!inc.length || inc.some((r) => matches(r, url, q))) &&
    !list.some((r) => (r as UrlRule).exclude && matches(r, url, q))
  );
}
