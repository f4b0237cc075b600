/**
 * Recommendations: the ranking of an account's documents for one visitor
 * (parameters in params.ts, content filters in filter.ts).
 *
 * ## Ranking
 *
 * Every document passing the filters gets a `confidence` in 0–1, the
 * score that ranked it:
 * - `affinity`: the visitor's affinity to the document's topics, weighted
 *   by the document's topic weights: `Σ_k a_k · w_k / Σ_k w_k` (`a_k` from
 *   `affinity.ts` at request time). Ties (and visitors with no affinity)
 *   fall back to popularity. A visitor without any affinity (unknown, or
 *   who read nothing with topics) is ranked as `popular`.
 * - `popular`: `ln(1 + u) / ln(1 + u_max)`, `u` the document's unique
 *   visitors, `u_max` the most among the candidates; ties by views.
 * - `recent`: `2^(−age / H)`, age since publication (else since the
 *   document entered the collection), `H` the affinity half-life (30 days).
 *
 * Final ties are broken by unique visitors, views, recency, then URL, so a
 * request without `shuffle` always gives the same answer for the same data.
 *
 * ## Cost
 *
 * One pass over the rank entries (`rank-entry.ts`: URL, topic vector,
 * counters, publication time — what the content object keeps in memory):
 * the filters (topics and URL patterns first, SegmentQL last), the score
 * (O(topics of the document)), and a bounded min-heap of the best k
 * (k = limit, or 3 × limit with shuffle); a candidate is only kept when it
 * beats the heap's worst. Only the k winners are read in full (their title,
 * description, image, author) to build the items.
 * O(N · t + N · log k) time and O(k) extra memory for N documents with t
 * topics each; the corpus is never sorted. The visited set is a hash
 * lookup, so a profile with 200 (or the maximum 500) visited documents
 * costs nothing more per document.
 */
import type { DocumentFilter } from "./filter";
import { SHUFFLE_POOL } from "./params";
import type { Profile } from "../../segmentql";
import { DEFAULT_HALF_LIFE_MS, type AffinityOptions, topicAffinities } from "../../profiles/affinity/affinity";
import type { AffinityState, ContentDocument, RankMode, RecommendParams, RecommendedItem } from "../contract";
import { createdOf, documentRow } from "../documents/document";
import { type RankEntry, rankEntryOf } from "./rank-entry";
import { urlPattern } from "../documents/url";
/** What `rank` needs. */
export interface RankInput {
  /** The account's documents, as rank entries. */
  entries: Iterable<RankEntry>;
  /** The visitor's state; undefined for an unknown visitor. */
  profile?: AffinityState;
  params: RecommendParams;
  /** The `contentsegment`/`ql` filters, applied last (after topics, URL patterns and visited). */
  accept?: (entry: RankEntry, now: number) => boolean;
  now: number;
  /** Random numbers in [0, 1) for `shuffle` (default Math.random). */
  random?: () => number;
  options?: AffinityOptions;
}

/** One ranked document: its entry, the score that ranked it, and whether the visitor saw it. */
export interface Ranked {
  entry: RankEntry;
  confidence: number;
  visited: boolean;
}

/** What `recommend` needs: `rank`'s input over whole documents and compiled filters. */
export interface RecommendInput extends Omit<RankInput, "entries" | "accept"> {
  /** The account's documents. */
  docs: Iterable<ContentDocument>;
  /** Compiled `contentsegment`/`ql` filters (all must pass). */
  filters?: readonly DocumentFilter[];
}

/** A scored candidate: sort keys, best first when compared by `better`. */
interface Scored {
  doc: RankEntry;
  confidence: number;
  /** Keys compared in order, higher first. */
  keys: [number, number, number, number];
}

/** True when `a` ranks before `b`. */
function better(a: Scored, b: Scored): boolean {
  for (let i = 0; i < 4; i++) if (a.keys[i] !== b.keys[i]) return a.keys[i]! > b.keys[i]!;
  return a.doc.url < b.doc.url;
}

/** The best `k` items seen, in a min-heap on `better` (the root is the worst kept). */
class TopK {
  readonly heap: Scored[] = [];
  constructor(readonly k: number) {}
  offer(x: Scored): void {
    const h = this.heap;
    if (h.length < this.k) {
      h.push(x);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!better(h[p]!, h[i]!)) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
    } else if (this.k > 0 && better(x, h[0]!)) {
      h[0] = x;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && better(h[m]!, h[l]!)) m = l;
        if (r < h.length && better(h[m]!, h[r]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
  }
  /** Whether an item with these keys would be kept (checked before building it). */
  wants(keys: Scored["keys"], url: string): boolean {
    if (this.heap.length < this.k) return this.k > 0;
    const root = this.heap[0]!;
    for (let i = 0; i < 4; i++) if (keys[i] !== root.keys[i]) return keys[i]! > root.keys[i]!;
    return url < root.doc.url;
  }
  /** The kept items, best first. */
  sorted(): Scored[] {
    return [...this.heap].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  }
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** The rank mode actually used: `affinity` for a visitor without any affinity is `popular`. */
export function effectiveRank(rank: RankMode, affinities: Readonly<Record<string, number>>): RankMode {
  return rank === "affinity" && Object.keys(affinities).length === 0 ? "popular" : rank;
}

/** Ranks the account's documents for one visitor (see the module comment); best first. */
export function rank(input: RankInput): Ranked[] {
  const { params, profile, now } = input;
  const accept = input.accept;
  const include = params.include.map(urlPattern);
  const exclude = params.exclude.map(urlPattern);
  const affinities = profile ? topicAffinities(profile, now, input.options) : {};
  const mode = effectiveRank(params.rank, affinities);
  const affinity = new Map(Object.entries(affinities));
  const halfLife = input.options?.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;

  const seen = new Set(profile ? Object.keys(profile.visited) : []);
  const candidates: RankEntry[] = [];
  let maxUnique = 0;
  for (const doc of input.entries) {
    if (!params.visited && seen.has(doc.url)) continue;
    if (params.topics.length && !doc.names.some((t) => params.topics.includes(t))) continue;
    if (include.length && !include.some((m) => m(doc.url))) continue;
    if (exclude.some((m) => m(doc.url))) continue;
    if (accept && !accept(doc, now)) continue;
    candidates.push(doc);
    if (doc.unique_visitors > maxUnique) maxUnique = doc.unique_visitors;
  }

  const logMax = Math.log1p(maxUnique);
  const top = new TopK(params.shuffle ? params.limit * SHUFFLE_POOL : params.limit);
  for (const doc of candidates) {
    const popularity = logMax > 0 ? Math.log1p(doc.unique_visitors) / logMax : 0;
    const time = doc.time;
    let confidence: number;
    let keys: Scored["keys"];
    if (mode === "affinity") {
      let num = 0;
      for (let i = 0; i < doc.names.length; i++) {
        const a = affinity.get(doc.names[i]!);
        if (a !== undefined) num += a * doc.weights[i]!;
      }
      confidence = doc.sum > 0 ? num / doc.sum : 0;
      keys = [round4(confidence), doc.unique_visitors, doc.views, time];
    } else if (mode === "popular") {
      confidence = popularity;
      keys = [doc.unique_visitors, doc.views, time, 0];
    } else {
      confidence = now > time ? 2 ** (-(now - time) / halfLife) : 1;
      keys = [time, doc.unique_visitors, doc.views, 0];
    }
    if (top.wants(keys, doc.url)) top.offer({ doc, confidence, keys });
  }

  let ranked = top.sorted();
  if (params.shuffle) {
    const random = input.random ?? Math.random;
    for (let i = ranked.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ranked[i], ranked[j]] = [ranked[j]!, ranked[i]!];
    }
    ranked = ranked.slice(0, params.limit);
  }
  return ranked.map(({ doc, confidence }) => ({ entry: doc, confidence, visited: seen.has(doc.url) }));
}

/** Rank entries of document values, built once per (immutable) document object. */
const entries = new WeakMap<ContentDocument, RankEntry>();
const entryOf = (doc: ContentDocument): RankEntry => {
  let e = entries.get(doc);
  if (!e) entries.set(doc, (e = rankEntryOf(doc)));
  return e;
};

/** Rows of document values, built once per (immutable) document object. */
const rows = new WeakMap<ContentDocument, Profile>();
const rowOf = (doc: ContentDocument): Profile => {
  let row = rows.get(doc);
  if (!row) rows.set(doc, (row = documentRow(doc)));
  return row;
};

/** Ranks whole documents for one visitor and builds the API's items (`rank` over documents held in memory). */
export function recommend(input: RecommendInput): RecommendedItem[] {
  const byEntry = new Map<RankEntry, ContentDocument>();
  for (const doc of input.docs) byEntry.set(entryOf(doc), doc);
  const filters = input.filters ?? [];
  const ranked = rank({
    ...input,
    entries: byEntry.keys(),
    accept: filters.length ? (e, now) => filters.every((f) => f.test(rowOf(byEntry.get(e)!), now)) : undefined,
  });
  return ranked.map((r) => toItem(byEntry.get(r.entry)!, r.confidence, r.visited));
}

/** A document as the recommendation API returns it. */
export function toItem(doc: ContentDocument, confidence: number, visited: boolean): RecommendedItem {
  const item: RecommendedItem = { url: doc.url } as RecommendedItem;
  for (const k of ["title", "description", "primary_image", "author"] as const)
    if (doc[k] !== undefined) item[k] = doc[k];
  item.created = createdOf(doc);
  item.confidence = round4(confidence);
  item.visited = visited;
  return item;
}
