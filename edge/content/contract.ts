/**
 * What the content domain shows the rest of the edge (types only).
 *
 * The content domain keeps, per account, a collection of documents keyed by
 * canonical URL, learns topic affinities per profile from the documents a
 * visitor views, and ranks documents for the Lytics-compatible
 * recommendation API (`GET /api/content/recommend/...`).
 *
 * The pure core lives beside this file:
 * - `url.ts` — canonical URLs and the account's "is this content" rule;
 * - `document.ts`, `schemas.ts` — documents, API and CSV input;
 * - `discovery.ts` — documents from collected page views;
 * - `topics.ts` — topic extraction (meta tags, then TF-IDF);
 * - `../profiles/affinity/affinity.ts` — per-profile topic affinities with recency decay
 *   (in profiles/, which stores them: profiles rank below content);
 * - `recommend.ts` — parameters and ranking of recommendations;
 * - `rank-entry.ts`, `doc-store.ts` — what ranking keeps in memory, documents in SQLite;
 * - `rate-limit.ts` — the per-account request budget across isolates.
 *
 * ## Wiring (done by the storage, routes and profile domains)
 *
 * 1. **Content object** (one Durable Object per account) stores
 *    `ContentDocument`s by `url`, a `CorpusStats` and the account's
 *    `ContentSettings`; documents stay in its SQLite storage and only their
 *    rank entries (`rank-entry.ts`) are kept in memory. On every write
 *    of a document whose text changed: `updateCorpus(corpus,
 *    documentTerms(old), -1)`, `updateCorpus(corpus, documentTerms(new), 1)`,
 *    then `topics = extractTopics(doc, corpus)` unless `manual_topics`.
 *    API: `parseDocumentInputs` / `parseDocumentPatches` (400 with
 *    `problems`), `canonicalKeys`, `applyDocumentInput`; deletes by
 *    `DocumentDeleteSchema`; CSV import through R2 with the platform's CSV
 *    parser, `csvMapping(header)` then `csvRecordToInput` per record (add
 *    the record's line to each problem); list/search with
 *    `compileContentFilter` (rows from `documentRow`).
 * 2. **Collect**: for a page view, `discoverDocument(event, lookup,
 *    settings, now)` in the content object (hosts default to the account's
 *    domain allowlist); it returns the document with its topics. The
 *    profile object then runs `recordView(state, doc, now)` on the
 *    profile's `AffinityState` (one stored value, bounded) and, when
 *    `firstVisit`, the content object gets `countUniqueVisitor`. The
 *    `_content` field (and flattened `_content.*` keys) is transport: it
 *    must not become a profile field. The tag must resolve relative
 *    canonical and og:image URLs against the page URL.
 * 3. **Profiles**: `affinityFields(state, now)` gives the SegmentQL fields
 *    (`topic_affinity.<topic>`, `topic_visited.<topic>`,
 *    `topic_last_visit.<topic>`, `content_visited`, `content_views`),
 *    computed at the time of evaluation; `/personalize` shows them only
 *    when the account surfaces them. `affinityFallsBelowAt` tells when an
 *    audience like `topic_affinity.hiking > 0.5` must be re-evaluated.
 * 4. **Routes**: `GET /api/content/recommend/:cid/user/:field/:value`
 *    (domain allowlist, `_uid` and `_uids` both mean the cookie id) and
 *    `GET /api/content/recommend/user/:field/:value` (token). Order: rate
 *    limit (`takeToken` / counter object `grantLease` / `acceptLease`, one
 *    lease request in flight per account per isolate; 429 with
 *    `Retry-After`), `parseRecommendQuery`, `compileContentFilter` for
 *    `contentsegment` and `ql` (slugs resolved from saved `FROM content`
 *    audiences; 404 when unknown), then the content object's `recommend`
 *    with the profile's `AffinityState` (undefined for an unknown visitor).
 *    Errors are `{status, message, errors: ContentProblem[]}`.
 * 5. **Demo**: the demo article template asks for `data-pfrecommend=
 *    "demo_articles"`; the demo seed must create that content audience
 *    (`FILTER url LIKE "*\/demo/article-*" FROM content ALIAS demo_articles`)
 *    and the content settings (`paths: ["/demo/article-*"]`). The page
 *    view of the current page must be recorded before its recommendation
 *    request is answered, or the current article may be recommended.
 */

/** One problem with an input: a dotted field path (or CSV column) and what is wrong. */
export interface ContentProblem {
  path?: string;
  message: string;
}

/** Where a document's current data came from. */
export type DocumentSource = "api" | "import" | "discovery";

/**
 * A content document, keyed by its canonical URL.
 *
 * `url` is scheme-less like the Lytics content table and the `url` field
 * the tag sends: `host/path?query` (see `url.ts`), so Pathfora's
 * `url LIKE "www.example.com/blog/*"` filters work unchanged.
 */
export interface ContentDocument {
  /** Canonical URL without scheme: `www.example.com/blog/post`. */
  url: string;
  title?: string;
  description?: string;
  /** Absolute URL of the document's main image (og:image). */
  primary_image?: string;
  author?: string;
  /** Publication time, ISO-8601 (article:published_time). */
  published?: string;
  /** The publisher's own labels (keywords and article:tag meta), normalised, in page order. */
  keywords: string[];
  /** Topic -> weight in (0, 1]; set by `extractTopics`, or by hand when `manual_topics`. */
  topics: Record<string, number>;
  /** True when a marketer set `topics` by hand: extraction never overwrites them. */
  manual_topics: boolean;
  /** Page views counted by discovery. */
  views: number;
  /** Distinct profiles that viewed the document (counted on a profile's first visit). */
  unique_visitors: number;
  /** When the document entered the collection (ISO-8601). */
  created: string;
  /** Last change of its data (ISO-8601). */
  updated: string;
  /** Last page view seen (ISO-8601), when discovered from views. */
  last_viewed?: string;
  source: DocumentSource;
}

/** Per-account rules for discovery: which URLs are content and how they are canonicalised. */
export interface ContentSettings {
  /**
   * Hosts whose pages are content: `www.example.com`, or `*.example.com`
   * for the domain and every subdomain. Empty: every host the account
   * accepts events from (the wiring passes the account's domain allowlist).
   */
  hosts: string[];
  /** Path patterns (`*` = any run of characters) a content page must match; empty: every path. */
  paths: string[];
  /** Path patterns that are never content (checked after `paths`). */
  exclude_paths: string[];
  /** Query parameters dropped from URLs besides `utm_*`; `*` drops the whole query. */
  strip_params: string[];
  /** `strip` (default): `/a/b/` becomes `/a/b`; `keep`: paths stay as they are. */
  trailing_slash: "strip" | "keep";
}

/** What the tag sends about a page with its page view (see `discovery.ts`). */
export interface PageContent {
  /** The page URL (`<link rel=canonical>`, else the page's own URL). */
  url?: string;
  /** og:title, else the document title. */
  title?: string;
  /** og:description, else meta description. */
  description?: string;
  /** og:image. */
  image?: string;
  /** article:author (or meta author). */
  author?: string;
  /** article:published_time. */
  published?: string;
  /** meta keywords (comma-separated on the page). */
  keywords?: string[];
  /** article:tag (one meta tag per tag). */
  tags?: string[];
}

/** Document frequencies of the account's corpus, the basis of TF-IDF weights. */
export interface CorpusStats {
  /** Number of documents counted. */
  documents: number;
  /** Term -> number of documents whose title or description holds it. */
  df: Record<string, number>;
}

import type { AffinityState } from "../profiles/affinity/affinity";

export type { AffinityState, TopicState } from "../profiles/affinity/affinity";

/** How recommendations are ranked. */
export type RankMode = "affinity" | "popular" | "recent";

/** Parsed parameters of a recommendation request. */
export interface RecommendParams {
  /** 1–50 (default 10). */
  limit: number;
  rank: RankMode;
  /** true: documents the visitor saw may be recommended; false (default): they are excluded. */
  visited: boolean;
  /** Pick `limit` documents at random among the best 3 × limit, in random order. */
  shuffle: boolean;
  /** SegmentQL filter on the content table, or the slug of a saved content audience. */
  contentsegment?: string;
  /** Ad-hoc SegmentQL filter (Pathfora's `ql` parameter); combined with `contentsegment` by AND. */
  ql?: string;
  /** Only documents with at least one of these topics. */
  topics: string[];
  /** URL patterns (`*` wildcard, case-insensitive, scheme-less) a document must match one of. */
  include: string[];
  /** URL patterns excluding documents. */
  exclude: string[];
}

/** One recommended document as the API returns it. */
export interface RecommendedItem {
  url: string;
  title?: string;
  description?: string;
  primary_image?: string;
  author?: string;
  /** Publication time, else when the document entered the collection (ISO-8601). */
  created: string;
  /** The score that ranked it, 0–1 (see `recommend.ts`). */
  confidence: number;
  /** Whether the visitor has viewed it. */
  visited: boolean;
}

/** Body of a recommendation response. */
export interface RecommendResponse {
  data: RecommendedItem[];
}

/** The counter object's state for one account's request budget (see `rate-limit.ts`). */
export interface BudgetCounter {
  /** Start of the current window (epoch ms, a multiple of the window length). */
  window: number;
  /** Tokens leased to isolates in this window. */
  leased: number;
}

/** A lease of request tokens for one window, granted by the counter object. */
export interface BudgetLease {
  /** Tokens granted (0 when the budget of the window is spent). */
  tokens: number;
  /** End of the window the tokens are valid in (epoch ms, the counter's clock). */
  until: number;
  /** The counter's clock when it granted the lease (lets isolates correct for clock skew). */
  now: number;
}

/** An isolate's local share of one account's budget. */
export interface LocalBudget {
  /** Unspent leased tokens. */
  tokens: number;
  /** When they expire (epoch ms, this isolate's clock); 0 before the first lease. */
  until: number;
  /** End of the counter's window the tokens belong to (the counter's clock). */
  window: number;
  /** The counter had no tokens left for the window ending at `until`: deny without asking again. */
  spent: boolean;
}

/** A page of documents (`GET /api/content/doc`). */
export interface DocumentPage {
  /** Documents matching the filter and search. */
  total: number;
  docs: ContentDocument[];
  /** Offset of the next page, null on the last one. */
  next: number | null;
}

/** What a document write answers: the stored documents, or the problems (nothing stored). */
export type DocumentWrite =
  | { ok: true; docs: ContentDocument[] }
  | { ok: false; status: 400 | 404 | 409; problems: ContentProblem[] };

/** One problem of a CSV import, with its line. */
export interface ImportProblem extends ContentProblem {
  line: number;
}

/** States of an import. */
export type ImportState = "queued" | "processing" | "done" | "failed";

/** A CSV import and its progress (import-job.ts runs it). */
export interface ImportJob {
  id: string;
  /** Where the file is staged in the `UPLOADS` bucket (deleted once the import ends). */
  key: string;
  state: ImportState;
  /** Bytes of the file. */
  size: number;
  /** Bytes processed. */
  offset: number;
  /** Line the next record starts on (the header is line 1). */
  line: number;
  /** The header's cells (once read). */
  header: string[] | null;
  ignoredColumns: string[];
  rowsOk: number;
  rowsFailed: number;
  /** The first 1,000 problems, by line. */
  errors: ImportProblem[];
  /** Problems found in all. */
  errorsTotal: number;
  attempts: number;
  /** Why the import failed as a whole. */
  message: string | null;
  created: number;
  started: number | null;
  finished: number | null;
}

/** A saved content audience: a SegmentQL filter on the content table with a slug (its ALIAS). */
export interface ContentAudience {
  slug: string;
  segment_ql: string;
}

/** The document a page view was discovered as, as the profile records it. */
export interface DiscoveredView {
  url: string;
  topics: Record<string, number>;
}

/**
 * RPC surface of the content object (one per account, named by its cid):
 * documents, corpus statistics, settings and saved content audiences.
 */
export interface ContentRpc {
  settings(): Promise<ContentSettings>;
  updateSettings(change: Partial<ContentSettings>): Promise<ContentSettings>;
  /** Creates or replaces documents (validated inputs; `url` canonicalised here). */
  putDocuments(inputs: unknown[], source: "api" | "import"): Promise<DocumentWrite>;
  /** Changes existing documents (404 with the unknown URLs, nothing changed). */
  patchDocuments(patches: unknown[]): Promise<DocumentWrite>;
  deleteDocuments(urls: string[]): Promise<{ deleted: string[]; missing: string[] }>;
  getDocument(url: string): Promise<ContentDocument | null>;
  listDocuments(query: {
    filter?: string;
    q?: string;
    offset: number;
    limit: number;
  }): Promise<DocumentPage | { ok: false; status: 400 | 404; problems: ContentProblem[] }>;
  /** Discovers the documents of page views (null where an event is not a content page view). */
  discover(events: Record<string, unknown>[], domains: string[]): Promise<(DiscoveredView | null)[]>;
  countUniqueVisitors(urls: string[]): Promise<void>;
  recommend(
    params: RecommendParams,
    profile: AffinityState | undefined,
  ): Promise<{ ok: true; data: RecommendedItem[] } | { ok: false; status: 400 | 404; problems: ContentProblem[] }>;
  /** Starts importing a CSV file staged in the uploads bucket at `key` (the first chunk at once, the rest by alarm). */
  startImport(
    id: string,
    key: string,
    size: number,
  ): Promise<{ ok: true; job: ImportJob } | { ok: false; problems: ContentProblem[] }>;
  /** An import and its progress (null when unknown). */
  importStatus(id: string): Promise<ImportJob | null>;
  /** The account's imports, newest first. */
  importJobs(): Promise<ImportJob[]>;
  audiences(): Promise<ContentAudience[]>;
  saveAudience(
    text: string,
  ): Promise<{ ok: true; audience: ContentAudience } | { ok: false; problems: ContentProblem[] }>;
  deleteAudience(slug: string): Promise<boolean>;
}

/** RPC surface of an account's budget counter (a content object named `<cid>/budget`). */
export interface BudgetRpc {
  lease(want: number, rate: number): Promise<BudgetLease>;
}
