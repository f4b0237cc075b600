/**
 * Recommendations: the parameters of `GET /api/content/recommend/...` and
 * the ranking of an account's documents for one visitor.
 *
 * ## Parameters
 *
 * `limit` (1–50, default 10), `rank` (`affinity` default, `popular`,
 * `recent`), `visited` (`false` default: documents the visitor saw are
 * left out; `true`: they may be recommended, marked `visited: true`),
 * `shuffle` (`true`: `limit` documents drawn at random from the best
 * 3 × limit, in random order), `contentsegment` (a SegmentQL filter on the
 * content table, `FILTER ... FROM content`, or the slug of a saved content
 * audience), `ql` (an ad-hoc filter, as Pathfora sends it; ANDed with
 * `contentsegment`), `topics[]` or `topics` (repeated or comma-separated:
 * documents with at least one of these topics), `url` (repeated: URL
 * patterns with `*`, scheme-less, case-insensitive, a document must match
 * one) and `exclude_url` (repeated: patterns that exclude). Other
 * parameters (`key`, cache busters) are ignored. `contentsegments` (a JSON
 * AST) is refused as not supported.
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
import { type Predicate, type Profile, type SegmentAst, compile, includes, parse } from "../segmentql";
import { DEFAULT_HALF_LIFE_MS, type AffinityOptions, topicAffinities } from "../profiles/affinity/affinity";
import type {
  AffinityState,
  ContentDocument,
  ContentProblem,
  RankMode,
  RecommendParams,
  RecommendedItem,
} from "./contract";
import { createdOf, documentRow } from "./document";
import { ENTRY_FIELDS, type RankEntry, rankEntryOf } from "./rank-entry";
import { normalizeTopic } from "./topics";
import { urlPattern } from "./url";

/** Documents returned when `limit` is not given. */
export const DEFAULT_LIMIT = 10;
/** Most documents one request may ask for. */
export const MAX_LIMIT = 50;
/** With shuffle, results are drawn from the best `SHUFFLE_POOL × limit`. */
export const SHUFFLE_POOL = 3;
/** Most URL patterns or topics per request. */
export const MAX_PATTERNS = 20;
/** Longest filter text accepted. */
export const MAX_FILTER_LENGTH = 4000;

const RANKS: readonly RankMode[] = ["affinity", "popular", "recent"];

/** A checked input: the value, or the HTTP status to answer with and every problem found. */
export type Checked<T> = { ok: true; value: T } | { ok: false; status: 400 | 404; problems: ContentProblem[] };

/** The query of a request (URLSearchParams, or a name -> value(s) map). */
export type Query = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

const all = (q: Query, name: string): string[] => {
  if (q instanceof URLSearchParams) return q.getAll(name);
  const v = q[name];
  return v === undefined ? [] : typeof v === "string" ? [v] : [...v];
};

/** Parses and checks the query parameters of a recommendation request (400 with every problem). */
export function parseRecommendQuery(q: Query): Checked<RecommendParams> {
  const problems: ContentProblem[] = [];
  const one = (name: string): string | undefined => {
    const v = all(q, name);
    if (v.length > 1) problems.push({ path: name, message: "given more than once" });
    return v[0];
  };
  const bool = (name: string): boolean => {
    const v = one(name);
    if (v === undefined || v === "") return false;
    const l = v.toLowerCase();
    if (l === "true" || l === "1" || l === "t") return true;
    if (l === "false" || l === "0" || l === "f") return false;
    problems.push({ path: name, message: "expected true or false" });
    return false;
  };
  const params: RecommendParams = {
    limit: DEFAULT_LIMIT,
    rank: "affinity",
    visited: bool("visited"),
    shuffle: bool("shuffle"),
    topics: [],
    include: [],
    exclude: [],
  };
  const limit = one("limit");
  if (limit !== undefined && limit !== "") {
    const n = /^\d{1,6}$/.test(limit.trim()) ? Number(limit.trim()) : NaN;
    if (n >= 1 && n <= MAX_LIMIT) params.limit = n;
    else problems.push({ path: "limit", message: `expected an integer from 1 to ${MAX_LIMIT}` });
  }
  const rank = one("rank");
  if (rank !== undefined && rank !== "") {
    const r = rank.toLowerCase() as RankMode;
    if (RANKS.includes(r)) params.rank = r;
    else problems.push({ path: "rank", message: `expected one of ${RANKS.join(", ")}` });
  }
  for (const name of ["contentsegment", "ql"] as const) {
    const v = one(name)?.trim();
    if (!v) continue;
    if (v.length > MAX_FILTER_LENGTH)
      problems.push({ path: name, message: `longer than ${MAX_FILTER_LENGTH} characters` });
    else params[name] = v;
  }
  if (all(q, "contentsegments").length)
    problems.push({
      path: "contentsegments",
      message: "not supported: send a SegmentQL filter as contentsegment or ql",
    });
  const topics = [...all(q, "topics[]"), ...all(q, "topics")].flatMap((t) => t.split(","));
  for (const t of topics) {
    const n = normalizeTopic(t);
    if (n && !params.topics.includes(n)) params.topics.push(n);
  }
  if (params.topics.length > MAX_PATTERNS) problems.push({ path: "topics", message: `at most ${MAX_PATTERNS} topics` });
  for (const [name, key] of [
    ["url", "include"],
    ["exclude_url", "exclude"],
  ] as const) {
    const v = all(q, name)
      .map((p) => p.trim())
      .filter((p) => p !== "");
    if (v.length > MAX_PATTERNS) problems.push({ path: name, message: `at most ${MAX_PATTERNS} patterns` });
    else if (v.some((p) => p.length > 2048))
      problems.push({ path: name, message: "pattern longer than 2048 characters" });
    else params[key] = v;
  }
  return problems.length ? { ok: false, status: 400, problems } : { ok: true, value: params };
}

/**
 * A compiled `contentsegment`/`ql` filter: a test of a row of the content
 * table at `now`, and whether it reads only fields a rank entry holds
 * (`ENTRY_FIELDS`), so it can run without the stored documents.
 */
export interface DocumentFilter {
  test: (row: Profile, now: number) => boolean;
  hot: boolean;
}

const SLUG = /^[A-Za-z0-9_.:-]{1,128}$/;
const STATEMENT = /^\s*(--[^\n]*\n\s*)*filter\b/i;

/** The field names (first path segment) an AST reads. */
function fieldsRead(ast: SegmentAst, into = new Set<string>()): Set<string> {
  if (ast.op === "and" || ast.op === "or") for (const a of ast.args) fieldsRead(a, into);
  else if (ast.op === "not") fieldsRead(ast.args[0], into);
  else {
    const ident = (ast.args[0] as { ident?: unknown }).ident;
    if (typeof ident === "string") into.add(ident.split(".")[0]!);
  }
  return into;
}

/**
 * Compiles a `contentsegment`/`ql` value: SegmentQL text (`FILTER ...`,
 * `FROM content` or no FROM), or the slug of a saved content audience
 * that `resolve` turns into SegmentQL text (404 when unknown). INCLUDE
 * is refused (content audiences do not nest).
 */
export function compileContentFilter(
  value: string,
  param: "contentsegment" | "ql",
  resolve: (slug: string) => string | undefined = () => undefined,
): Checked<DocumentFilter> {
  let text = value;
  if (!STATEMENT.test(value)) {
    if (!SLUG.test(value))
      return {
        ok: false,
        status: 400,
        problems: [
          { path: param, message: "expected a SegmentQL filter (FILTER ... FROM content) or a content audience slug" },
        ],
      };
    const found = resolve(value);
    if (found === undefined)
      return { ok: false, status: 404, problems: [{ path: param, message: `no content audience "${value}"` }] };
    text = found;
  }
  try {
    const parsed = parse(text);
    if (parsed.table !== "content" && !fromOmitted(text))
      return {
        ok: false,
        status: 400,
        problems: [{ path: param, message: `a content filter reads FROM content, not FROM ${parsed.table}` }],
      };
    if (includes(parsed.ast).length)
      return {
        ok: false,
        status: 400,
        problems: [{ path: param, message: "INCLUDE is not supported in content filters" }],
      };
    const test: Predicate = compile(parsed.ast).test;
    const hot = [...fieldsRead(parsed.ast)].every((f) => ENTRY_FIELDS.has(f));
    return { ok: true, value: { test, hot } };
  } catch (e) {
    return { ok: false, status: 400, problems: [{ path: param, message: e instanceof Error ? e.message : String(e) }] };
  }
}

/** Whether a statement that parsed with table `user` had no FROM clause (then it reads the content table). */
function fromOmitted(text: string): boolean {
  try {
    return parse(text.replace(/;\s*$/, "") + "\nFROM content").table === "content";
  } catch {
    return false;
  }
}

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
