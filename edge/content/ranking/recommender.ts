/**
 * Recommendations and filtered lists inside the content object: compiled
 * filters cached by their text, and the match sets of filters that read
 * fields beyond the rank entries (kept until a document's text changes, or
 * for `COLD_MATCH_TTL_MS` while only counters change).
 */
import type { AffinityState } from "../../profiles/affinity/affinity";
import type { ContentProblem, RecommendParams, RecommendedItem } from "../contract";
import { documentRow } from "../documents/document";
import type { DocumentStore } from "../storage/doc-store";
import { type RankEntry, entryRow } from "./rank-entry";
import { type DocumentFilter, compileContentFilter } from "./filter";
import { rank, toItem } from "./recommend";

/** Compiled filters kept per object (by their text). */
const MAX_CACHED_FILTERS = 100;
/** Match sets of filters that read stored documents, kept per object. */
const MAX_COLD_MATCHES = 20;
/** How long such a match set is used while only counters change (ms). */
const COLD_MATCH_TTL_MS = 60_000;

type Refusal = { ok: false; status: 400 | 404; problems: ContentProblem[] };

/** The ranking side of one account's content. */
export class Recommender {
  private readonly filters = new Map<string, DocumentFilter>();
  private readonly coldMatches = new Map<string, { version: number; at: number; urls: Set<string> }>();

  constructor(
    private readonly docs: DocumentStore,
    /** The saved content audiences (slug → SegmentQL). */
    private readonly audiences: () => Record<string, string>,
  ) {}

  /** Forgets compiled filters and match sets (after the audiences changed). */
  clear(): void {
    this.filters.clear();
    this.coldMatches.clear();
  }

  /** A `contentsegment` or `ql` filter, compiled once per text. */
  filterOf(text: string, param: "contentsegment" | "ql"): { ok: true; value: DocumentFilter } | Refusal {
    const key = `${param}\n${text}`;
    const cached = this.filters.get(key);
    if (cached) return { ok: true, value: cached };
    const audiences = this.audiences();
    const compiled = compileContentFilter(text, param, (slug) =>
      Object.hasOwn(audiences, slug) ? audiences[slug] : undefined,
    );
    if (compiled.ok) {
      if (this.filters.size >= MAX_CACHED_FILTERS) this.filters.clear();
      this.filters.set(key, compiled.value);
    }
    return compiled;
  }

  recommend(
    params: RecommendParams,
    profile: AffinityState | undefined,
  ): { ok: true; data: RecommendedItem[] } | Refusal {
    const now = Date.now();
    const tests: ((e: RankEntry) => boolean)[] = [];
    for (const param of ["contentsegment", "ql"] as const) {
      const text = params[param];
      if (!text) continue;
      const compiled = this.filterOf(text, param);
      if (!compiled.ok) return compiled;
      const filter = compiled.value;
      if (filter.hot) tests.push((e) => filter.test(entryRow(e), now));
      else {
        const urls = this.coldMatchesOf(`${param}\n${text}`, filter, now);
        tests.push((e) => urls.has(e.url));
      }
    }
    const ranked = rank({
      entries: this.docs.entries().values(),
      profile,
      params,
      accept: tests.length ? (e) => tests.every((t) => t(e)) : undefined,
      now,
    });
    const full = this.docs.getMany(ranked.map((r) => r.entry.url));
    const data = ranked.flatMap((r) => {
      const doc = full.get(r.entry.url);
      return doc ? [toItem(doc, r.confidence, r.visited)] : [];
    });
    return { ok: true, data };
  }

  private coldMatchesOf(key: string, filter: DocumentFilter, now: number): Set<string> {
    const version = this.docs.textVersion();
    const hit = this.coldMatches.get(key);
    if (hit && hit.version === version && now - hit.at < COLD_MATCH_TTL_MS) return hit.urls;
    const urls = new Set<string>();
    for (const d of this.docs.scan()) if (filter.test(documentRow(d), now)) urls.add(d.url);
    if (this.coldMatches.size >= MAX_COLD_MATCHES) this.coldMatches.delete(this.coldMatches.keys().next().value!);
    this.coldMatches.set(key, { version, at: now, urls });
    return urls;
  }
}
