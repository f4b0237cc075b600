/**
 * What ranking needs of a document, and nothing more: the compact value the
 * content object keeps in memory per document (the full documents stay in
 * its SQLite storage). An entry is immutable; a changed document gets a new
 * entry.
 *
 * Its size is bounded: the URL (≤ 2,048 characters), at most 12 topics with
 * their weights, the counters and the publication time.
 */
import type { Profile } from "../../segmentql";
import type { ContentDocument } from "../contract";
import { createdOf } from "../documents/document";

/** A document as ranking sees it. */
export interface RankEntry {
  /** Canonical URL (the document's key). */
  readonly url: string;
  /** Topic labels, parallel to `weights`. */
  readonly names: readonly string[];
  readonly weights: readonly number[];
  /** Σ weights. */
  readonly sum: number;
  readonly views: number;
  readonly unique_visitors: number;
  /** Publication time, else when the document entered the collection (ISO-8601, as `createdOf`). */
  readonly created: string;
  /** `created` in epoch ms (0 when unreadable). */
  readonly time: number;
}

/** The rank entry of a document. */
export function rankEntryOf(doc: ContentDocument): RankEntry {
  const names = Object.keys(doc.topics);
  const weights = names.map((n) => doc.topics[n]!);
  let sum = 0;
  for (const w of weights) sum += w;
  const created = createdOf(doc);
  return {
    url: doc.url,
    names,
    weights,
    sum,
    views: doc.views,
    unique_visitors: doc.unique_visitors,
    created,
    time: Date.parse(created) || 0,
  };
}

/**
 * The fields of the `content` table an entry holds: a filter reading only
 * these is evaluated in memory; one reading any other field (title,
 * description, author, keywords, ...) reads the stored documents.
 */
export const ENTRY_FIELDS: ReadonlySet<string> = new Set([
  "url",
  "host",
  "path",
  "created",
  "topics",
  "topic_relevances",
  "views",
  "unique_visitors",
]);

/** An entry as a row of the `content` table, with the fields of {@link ENTRY_FIELDS} (as `documentRow` gives them). */
export function entryRow(e: RankEntry): Profile {
  const slash = e.url.indexOf("/");
  const relevances: Record<string, number> = {};
  e.names.forEach((n, i) => (relevances[n] = e.weights[i]!));
  return {
    url: e.url,
    host: slash < 0 ? e.url : e.url.slice(0, slash),
    path: slash < 0 ? "/" : e.url.slice(slash),
    created: e.created,
    topics: [...e.names],
    topic_relevances: relevances,
    views: e.views,
    unique_visitors: e.unique_visitors,
  };
}
