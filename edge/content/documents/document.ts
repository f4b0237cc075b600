/**
 * Content documents: creating and changing them from validated API or
 * import input, their counters, and the row SegmentQL filters read.
 *
 * Documents are values: every function returns a new document and leaves
 * its argument untouched, so a storage object can compare, diff the
 * corpus terms and write only on success.
 */
import type { Profile } from "../../segmentql";
import type { ContentDocument, ContentProblem, ContentSettings, DocumentSource, ViewCount } from "../contract";
import type { DocumentInput, DocumentPatch } from "./input";
import { splitKeywords, normalizeTopic } from "./topics";
import { canonicalizeUrl } from "./url";

/** Publication time as ISO-8601 (from an ISO string, possibly date-only, or epoch ms); undefined when invalid. */
export function toIsoTime(value: string | number | undefined | null): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const ms = typeof value === "number" ? value : Date.parse(value.trim().replace(" ", "T"));
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/** Topics given by hand as a weight map (labels get weight 1; labels normalised). */
export function manualTopics(topics: readonly string[] | Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  const entries: [string, number][] = Array.isArray(topics)
    ? topics.map((t) => [t, 1])
    : Object.entries(topics as Record<string, number>);
  for (const [label, w] of entries) {
    const t = normalizeTopic(label);
    if (t) out[t] = Math.max(out[t] ?? 0, w);
  }
  return out;
}

/** An empty document for `url` (already canonical). */
export function newDocument(url: string, source: DocumentSource, now: number): ContentDocument {
  const at = new Date(now).toISOString();
  return {
    url,
    keywords: [],
    topics: {},
    manual_topics: false,
    views: 0,
    unique_visitors: 0,
    created: at,
    updated: at,
    source,
  };
}

/** Canonical keys for a batch of inputs, or a problem per URL that is not a document URL. */
export function canonicalKeys(
  inputs: readonly { url: string }[],
  settings: Partial<ContentSettings>,
  batch: boolean,
): { ok: true; urls: string[] } | { ok: false; problems: ContentProblem[] } {
  const urls: string[] = [];
  const problems: ContentProblem[] = [];
  inputs.forEach((input, i) => {
    const url = canonicalizeUrl(input.url, settings);
    if (url) urls.push(url);
    else problems.push({ path: batch ? `${i}.url` : "url", message: "not an http(s) URL" });
  });
  return problems.length ? { ok: false, problems } : { ok: true, urls };
}

type Writable = "title" | "description" | "primary_image" | "author";
const TEXT_FIELDS: readonly Writable[] = ["title", "description", "primary_image", "author"];

/**
 * The document after a create/replace (`input`, all fields) or an update
 * (`patch`: given fields replace, null clears). `existing` is the stored
 * document or undefined; counters and `created` are kept. Giving topics
 * sets them by hand; `topics: null` (patch) returns to extraction. The
 * caller re-extracts topics when `manual_topics` is false.
 */
export function applyDocumentInput(
  existing: ContentDocument | undefined,
  url: string,
  change: { kind: "replace"; input: DocumentInput } | { kind: "patch"; patch: DocumentPatch },
  source: Exclude<DocumentSource, "discovery">,
  now: number,
): ContentDocument {
  const base = existing ?? newDocument(url, source, now);
  const doc: ContentDocument = { ...base, source, updated: new Date(now).toISOString() };
  const given: Partial<Record<keyof DocumentPatch, unknown>> = change.kind === "replace" ? change.input : change.patch;
  const has = (k: keyof DocumentPatch): boolean => change.kind === "replace" || given[k] !== undefined;
  for (const k of TEXT_FIELDS) {
    if (!has(k)) continue;
    const v = given[k];
    if (typeof v === "string" && v.trim() !== "") doc[k] = v.trim();
    else delete doc[k];
  }
  if (has("published")) {
    const p = toIsoTime(given.published as string | number | null | undefined);
    if (p) doc.published = p;
    else delete doc.published;
  }
  if (has("keywords")) doc.keywords = splitKeywords((given.keywords as string | string[] | null | undefined) ?? []);
  if (has("topics")) {
    const t = given.topics as string[] | Record<string, number> | null | undefined;
    doc.manual_topics = t !== undefined && t !== null;
    doc.topics = doc.manual_topics ? manualTopics(t!) : {};
  }
  return doc;
}

/** The document after one more page view at `now`. */
export const countView = (doc: ContentDocument, now: number): ContentDocument => ({
  ...doc,
  views: doc.views + 1,
  last_viewed: new Date(now).toISOString(),
});

/** The document after the views and first visits of a batch (`last_viewed` only moves forward). */
export function addViewCount(doc: ContentDocument, count: Omit<ViewCount, "url">): ContentDocument {
  const out = { ...doc, views: doc.views + count.views, unique_visitors: doc.unique_visitors + count.unique_visitors };
  if (count.last_viewed !== null) {
    const at = new Date(count.last_viewed).toISOString();
    if (!out.last_viewed || out.last_viewed < at) out.last_viewed = at;
  }
  return out;
}

/** When the document counts as created for readers: its publication time, else when it entered the collection. */
export const createdOf = (doc: ContentDocument): string => doc.published ?? doc.created;

/**
 * The document as a row of the `content` table for SegmentQL filters:
 * `url`, `title`, `description`, `primary_image`, `author`, `published`,
 * `created` (as `createdOf`), `topics` (labels, best first),
 * `topic_relevances` (label -> weight), `keywords`, `views`,
 * `unique_visitors`, `manual_topics`, `source`, `host` and `path`.
 * E.g. `FILTER AND (url LIKE "www.example.com/blog/*", topics INTERSECTS ("hiking")) FROM content`.
 */
export function documentRow(doc: ContentDocument): Profile {
  const slash = doc.url.indexOf("/");
  const row: Profile = {
    url: doc.url,
    host: slash < 0 ? doc.url : doc.url.slice(0, slash),
    path: slash < 0 ? "/" : doc.url.slice(slash),
    created: createdOf(doc),
    topics: Object.keys(doc.topics),
    topic_relevances: { ...doc.topics },
    keywords: [...doc.keywords],
    views: doc.views,
    unique_visitors: doc.unique_visitors,
    manual_topics: doc.manual_topics,
    source: doc.source,
  };
  for (const k of [...TEXT_FIELDS, "published"] as const) if (doc[k] !== undefined) row[k] = doc[k];
  return row;
}
