/**
 * Documents discovered from collected page views.
 *
 * ## What the tag sends
 *
 * A page view (`_e: "pv"`) carries the page's `url` (no protocol) and
 * `title` (document.title) as it always does, plus one object field
 * `_content` with what the page already publishes in its `<head>` (no
 * extra request):
 *
 * | key           | from the page                                          |
 * |---------------|--------------------------------------------------------|
 * | `url`         | `<link rel="canonical">` (absolute)                    |
 * | `title`       | `<meta property="og:title">`                           |
 * | `description` | `og:description`, else `<meta name="description">`    |
 * | `image`       | `og:image` (absolute)                                  |
 * | `author`      | `article:author`, else `<meta name="author">`          |
 * | `published`   | `article:published_time`                               |
 * | `keywords`    | `<meta name="keywords">` (the comma-separated text)   |
 * | `tags`        | every `article:tag` (array)                            |
 *
 * Keys without a value are left out. The legacy (form) wire format sends
 * the same keys flattened (`_content.title=...`); both are read. The
 * `_content` field is transport: the collect route must not store it on
 * the profile.
 *
 * ## Refresh rules
 *
 * The document key is the canonical URL (`_content.url`, else the page
 * URL), canonicalised with the account's settings; a page whose key is not
 * content by the account's rule is skipped (a canonical link to a host that
 * is not content falls back to the page URL). A second view of the same
 * page refreshes the one document, never duplicates it:
 * - `views` grows by one and `last_viewed` is set;
 * - for a document discovered from pages, present meta values replace the
 *   stored ones (the publisher changed the title); absent ones never erase;
 * - for a document created through the API or an import, page meta only
 *   fills fields that are empty: the marketer's data wins.
 */
import type { ContentDocument, ContentSettings, PageContent } from "../contract";
import { countView, newDocument, toIsoTime } from "./document";
import { splitKeywords } from "./topics";
import { canonicalizeUrl, contentRule } from "./url";

/** The event field holding the page's meta data. */
export const CONTENT_FIELD = "_content";

/** Longest title, description and author kept from a page (longer text is cut). */
export const PAGE_TEXT_LIMITS = { title: 500, description: 2000, author: 200 } as const;

const KEYS = ["url", "title", "description", "image", "author", "published", "keywords", "tags"] as const;

const text = (v: unknown): string | undefined => {
  if (typeof v === "number") return String(v);
  if (typeof v !== "string") return undefined;
  const t = v.replace(/\s+/g, " ").trim();
  return t === "" ? undefined : t;
};

const list = (v: unknown): string[] | undefined => {
  const items = (Array.isArray(v) ? v : [v]).map(text).filter((s): s is string => s !== undefined);
  return items.length ? items : undefined;
};

/** Whether a collected event is a page view. */
export const isPageView = (event: Readonly<Record<string, unknown>>): boolean => event["_e"] === "pv";

/**
 * What a page view says about its page: the `_content` keys (nested or
 * flattened), with the event's `url` and `title` as fallbacks.
 */
export function readPageContent(event: Readonly<Record<string, unknown>>): PageContent {
  const nested = event[CONTENT_FIELD];
  const obj = nested && typeof nested === "object" && !Array.isArray(nested) ? (nested as Record<string, unknown>) : {};
  const get = (k: (typeof KEYS)[number]): unknown => (Object.hasOwn(obj, k) ? obj[k] : event[`${CONTENT_FIELD}.${k}`]);
  const out: PageContent = {};
  const url = text(get("url")) ?? text(event["url"]);
  if (url) out.url = url;
  const title = text(get("title")) ?? text(event["title"]);
  if (title) out.title = title;
  for (const k of ["description", "image", "author", "published"] as const) {
    const v = text(get(k));
    if (v) out[k] = v;
  }
  const keywords = list(get("keywords"));
  if (keywords) out.keywords = keywords;
  const tags = list(get("tags"));
  if (tags) out.tags = tags;
  return out;
}

/**
 * The document key of a page: its canonical link when that is content,
 * else its own URL when that is; null when neither is.
 */
export function pageKey(
  page: PageContent,
  event: Readonly<Record<string, unknown>>,
  settings: Partial<ContentSettings>,
): string | null {
  const isContent = contentRule(settings);
  for (const candidate of [page.url, text(event["url"])]) {
    if (!candidate) continue;
    const key = canonicalizeUrl(candidate, settings);
    if (key && isContent(key)) return key;
  }
  return null;
}

/** Page meta as document fields (cut to the limits; image only when an absolute http(s) URL). */
export function pageFields(page: PageContent): Partial<ContentDocument> {
  const out: Partial<ContentDocument> = {};
  for (const k of ["title", "description", "author"] as const) {
    const v = page[k];
    if (v) out[k] = v.slice(0, PAGE_TEXT_LIMITS[k]);
  }
  if (page.image && /^https?:\/\/[^\s/]+/i.test(page.image) && page.image.length <= 2048)
    out.primary_image = page.image;
  const published = toIsoTime(page.published);
  if (published) out.published = published;
  const labels = splitKeywords([...(page.keywords ?? []), ...(page.tags ?? [])]).slice(0, 50);
  if (labels.length) out.keywords = labels;
  return out;
}

/** What discovery did with a page view. */
export type Discovery =
  | {
      status: "created" | "refreshed";
      doc: ContentDocument;
      /** True when title, description or keywords changed: re-extract topics and update the corpus. */
      textChanged: boolean;
    }
  | { status: "skipped"; reason: "not a page view" | "not content" };

const TEXT_KEYS = ["title", "description", "primary_image", "author", "published", "keywords"] as const;

/**
 * Discovers or refreshes the document of a page view. `lookup` returns
 * the stored document for a canonical URL (the caller's storage).
 */
export function discoverDocument(
  event: Readonly<Record<string, unknown>>,
  lookup: (url: string) => ContentDocument | undefined,
  settings: Partial<ContentSettings>,
  now: number,
): Discovery {
  if (!isPageView(event)) return { status: "skipped", reason: "not a page view" };
  const page = readPageContent(event);
  const url = pageKey(page, event, settings);
  if (!url) return { status: "skipped", reason: "not content" };
  const existing = lookup(url);
  const fields = pageFields(page);
  const doc: ContentDocument = countView(existing ?? newDocument(url, "discovery", now), now);
  const overwrite = doc.source === "discovery";
  let changed = false;
  for (const k of TEXT_KEYS) {
    const v = fields[k];
    if (v === undefined) continue;
    const empty = k === "keywords" ? doc.keywords.length === 0 : doc[k] === undefined;
    if (!overwrite && !empty) continue;
    if (JSON.stringify(doc[k]) === JSON.stringify(v)) continue;
    (doc as unknown as Record<string, unknown>)[k] = v;
    changed = true;
  }
  if (changed) doc.updated = new Date(now).toISOString();
  const textChanged =
    !existing ||
    existing.title !== doc.title ||
    existing.description !== doc.description ||
    JSON.stringify(existing.keywords) !== JSON.stringify(doc.keywords);
  return { status: existing ? "refreshed" : "created", doc, textChanged };
}
