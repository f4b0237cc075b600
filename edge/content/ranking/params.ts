import type { ContentProblem, RankMode, RecommendParams } from "../contract";
import { normalizeTopic } from "../documents/topics";

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
