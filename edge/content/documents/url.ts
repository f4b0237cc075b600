/**
 * Canonical document URLs and the per-account "is this content" rule.
 *
 * A canonical URL has no scheme, like the `url` field the tag sends and the
 * Lytics content table: `host[:port]/path[?query]`.
 *
 * Canonicalization:
 * - `http` and `https` (or no scheme) only; anything else is not a document;
 * - the host is lower-cased (IDNs in punycode), a default port (80, 443) dropped;
 * - the fragment is dropped;
 * - `utm_*` query parameters and the account's `strip_params` are dropped
 *   (`*` drops the whole query); the others are sorted by name (stable
 *   within a name), so parameter order never makes two documents;
 * - with `trailing_slash: "strip"` (default) a path ending in `/` loses it
 *   (`/blog/` → `/blog`); the root stays `host/`;
 * - percent-encoding is normalised as WHATWG URL parsing does.
 */
import { compileGlob } from "../../segmentql/values/glob";
import type { ContentSettings } from "../contract";

/** Settings used when an account configured none. */
export const DEFAULT_CONTENT_SETTINGS: ContentSettings = {
  hosts: [],
  paths: [],
  exclude_paths: [],
  strip_params: [],
  trailing_slash: "strip",
};

/** Longest canonical URL kept (longer URLs are not documents). */
export const MAX_URL_LENGTH = 2048;

/**
 * The canonical form of `input` (absolute with or without `http(s)://`),
 * or null when it is not an http(s) URL.
 */
export function canonicalizeUrl(input: string, settings: Partial<ContentSettings> = {}): string | null {
  const raw = input.trim();
  if (raw === "") return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw);
  let absolute: string;
  if (scheme && /^https?$/i.test(scheme[1]!)) absolute = raw;
  else if (raw.startsWith("//")) absolute = "https:" + raw;
  else if (scheme && !/^[^/?#]+:\d+([/?#]|$)/.test(raw)) return null;
  else absolute = "https://" + raw;
  let u: URL;
  try {
    u = new URL(absolute);
  } catch {
    return null;
  }
  if (!u.hostname || u.username || u.password) return null;
  const strip = settings.strip_params ?? [];
  const dropAll = strip.includes("*");
  const params: [string, string][] = [];
  if (!dropAll) {
    const stripped = new Set(strip.map((p) => p.toLowerCase()));
    for (const [k, v] of u.searchParams) {
      const key = k.toLowerCase();
      if (key.startsWith("utm_") || stripped.has(key)) continue;
      params.push([k, v]);
    }
    params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  let path = u.pathname || "/";
  if ((settings.trailing_slash ?? "strip") === "strip")
    while (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  const query = params.length ? "?" + new URLSearchParams(params).toString() : "";
  const out = u.host + path + query;
  return out.length > MAX_URL_LENGTH ? null : out;
}

/** The host part of a canonical URL (with port, if any). */
export const hostOf = (canonical: string): string => canonical.slice(0, indexOrEnd(canonical, "/"));

/** The path and query of a canonical URL (starting with `/`). */
export const pathOf = (canonical: string): string => {
  const i = canonical.indexOf("/");
  return i < 0 ? "/" : canonical.slice(i);
};

const indexOrEnd = (s: string, c: string): number => {
  const i = s.indexOf(c);
  return i < 0 ? s.length : i;
};

/** Whether `host` is allowed by a host rule: exact, or `*.example.com` for the domain and its subdomains. */
export function hostMatches(rule: string, host: string): boolean {
  const r = rule.trim().toLowerCase();
  const h = host.toLowerCase().replace(/:\d+$/, "");
  if (r.startsWith("*.")) {
    const base = r.slice(2);
    return h === base || h.endsWith("." + base);
  }
  return h === r.replace(/:\d+$/, "");
}

/**
 * Compiles the account's rule: a canonical URL is content when its host
 * matches `hosts` (any host when empty), its path (without query) matches
 * one of `paths` (every path when empty) and none of `exclude_paths`.
 * Path patterns are case-sensitive with `*` as the only wildcard
 * (`/blog/*`, `*.html`).
 */
export function contentRule(settings: Partial<ContentSettings> = {}): (canonical: string) => boolean {
  const hosts = settings.hosts ?? [];
  const include = (settings.paths ?? []).map(compileGlob);
  const exclude = (settings.exclude_paths ?? []).map(compileGlob);
  return (canonical) => {
    const host = hostOf(canonical);
    if (hosts.length && !hosts.some((r) => hostMatches(r, host))) return false;
    const path = pathOf(canonical).replace(/\?.*$/, "");
    if (include.length && !include.some((m) => m(path))) return false;
    return !exclude.some((m) => m(path));
  };
}

/**
 * A case-insensitive URL pattern matcher for recommendation filters
 * (`url=www.example.com/blog/*`): `*` is any run of characters; a pattern
 * with a scheme has it removed, as canonical URLs have none.
 */
export function urlPattern(pattern: string): (canonical: string) => boolean {
  const m = compileGlob(
    pattern
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, ""),
  );
  return (canonical) => m(canonical.toLowerCase());
}
