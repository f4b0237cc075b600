/**
 * Topic affinities of one profile, learned from the documents it viewed,
 * with recency decay. Pure functions over the compact `AffinityState` the
 * profile object stores; `now` is always passed in (epoch ms).
 *
 * ## Formula
 *
 * Each topic keeps a score `s` and the time `t` it refers to. A view at
 * time `now` of a document with topic weights `w_k` (0–1) does, per topic:
 *
 *     s_k ← s_k · 2^(−(now − t_k) / H) + w_k,   t_k ← now,   n_k ← n_k + 1
 *
 * so every view counts with weight `w · 2^(−age / H)`: a view one
 * half-life `H` ago (30 days by default) counts half. (An event older than
 * `t_k`, arriving late, adds `w · 2^(−(t_k − time) / H)` instead, so the
 * result does not depend on arrival order.) The affinity shown is
 *
 *     affinity_k(now) = S / (S + K),   S = s_k · 2^(−(now − t_k) / H)
 *
 * with `K` = 1 (`saturation`): one recent full-weight view gives 0.5, two
 * 0.67, three 0.75; without new views it falls, e.g. three views 30 days
 * ago give 0.6. Values are rounded to 4 decimals.
 *
 * A page reloaded within `REPEAT_WINDOW_MS` of the last view of the same
 * document adds nothing. The state is bounded: the `MAX_VISITED` most
 * recent documents and the `MAX_PROFILE_TOPICS` strongest topics are kept (a
 * document dropped from `visited` counts as unvisited again).
 */
/** What a profile keeps about one topic. */
export interface TopicState {
  /** Decayed score at `t`: Σ weight · 2^(−age / half-life). */
  s: number;
  /** Last visit to a document with this topic (epoch ms); the time `s` refers to. */
  t: number;
  /** Visits to documents with this topic. */
  n: number;
}

/** The content state a profile stores (one JSON value, bounded in size). */
export interface AffinityState {
  /** Topic -> state (at most `MAX_PROFILE_TOPICS`). */
  topics: Record<string, TopicState>;
  /** Canonical URL -> last visit (epoch ms) (at most `MAX_VISITED`, oldest dropped). */
  visited: Record<string, number>;
  /** Documents viewed ever, including ones dropped from `visited`. */
  views: number;
}

/** Default half-life of a view's weight: 30 days. */
export const DEFAULT_HALF_LIFE_MS = 30 * 24 * 3600 * 1000;
/** Score at which affinity is 0.5. */
export const DEFAULT_SATURATION = 1;
/** Documents remembered as visited (the most recent). */
export const MAX_VISITED = 500;
/** Topics remembered (the strongest now). */
export const MAX_PROFILE_TOPICS = 100;
/** A view of the same document within this time of the last one adds no weight (reloads). */
export const REPEAT_WINDOW_MS = 30 * 60 * 1000;

/** Decay settings (per account). */
export interface AffinityOptions {
  /** Half-life in ms (default 30 days). */
  halfLifeMs?: number;
  /** Score at which affinity is 0.5 (default 1). */
  saturation?: number;
}

/** A state for a profile that has viewed nothing. */
export const emptyAffinityState = (): AffinityState => ({ topics: {}, visited: {}, views: 0 });

const halfLife = (o?: AffinityOptions): number => o?.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;

/** `2^(−Δ / H)` for Δ ≥ 0. */
const decay = (dt: number, h: number): number => (dt <= 0 ? 1 : 2 ** (-dt / h));

/** A topic's score decayed to `now` (never grown: times before `t` read as `t`). */
export const scoreAt = (ts: TopicState, now: number, o?: AffinityOptions): number =>
  ts.s * decay(now - ts.t, halfLife(o));

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** The 0–1 affinity for a decayed score. */
export const affinityOfScore = (score: number, o?: AffinityOptions): number =>
  round4(score / (score + (o?.saturation ?? DEFAULT_SATURATION)));

/** What a view did. */
export interface ViewResult {
  state: AffinityState;
  /** The profile had not visited this document (count a unique visitor). */
  firstVisit: boolean;
  /** The view added weight (false for a reload within `REPEAT_WINDOW_MS`). */
  counted: boolean;
}

/**
 * Records a view at `now` of the document `url` with topic weights
 * `topics`. Returns a new state; `state` is not changed.
 */
export function recordView(
  state: AffinityState,
  doc: { url: string; topics: Readonly<Record<string, number>> },
  now: number,
  o?: AffinityOptions,
): ViewResult {
  const h = halfLife(o);
  const prev = Object.hasOwn(state.visited, doc.url) ? state.visited[doc.url] : undefined;
  const visited = { ...state.visited, [doc.url]: Math.max(prev ?? now, now) };
  if (prev === undefined) trimVisited(visited);
  if (prev !== undefined && Math.abs(now - prev) < REPEAT_WINDOW_MS)
    return { state: { ...state, visited }, firstVisit: false, counted: false };
  const topics: Record<string, TopicState> = { ...state.topics };
  for (const [topic, raw] of Object.entries(doc.topics)) {
    const w = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
    if (w === 0 || topic === "__proto__") continue;
    const ts = Object.hasOwn(topics, topic) ? topics[topic]! : { s: 0, t: now, n: 0 };
    topics[topic] =
      now >= ts.t
        ? { s: ts.s * decay(now - ts.t, h) + w, t: now, n: ts.n + 1 }
        : { s: ts.s + w * decay(ts.t - now, h), t: ts.t, n: ts.n + 1 };
  }
  trimTopics(topics, now, o);
  return { state: { topics, visited, views: state.views + 1 }, firstVisit: prev === undefined, counted: true };
}

/** Drops the oldest visits beyond `MAX_VISITED` (in place). */
function trimVisited(visited: Record<string, number>): void {
  const urls = Object.keys(visited);
  if (urls.length <= MAX_VISITED) return;
  urls.sort((a, b) => visited[a]! - visited[b]! || (a < b ? -1 : 1));
  for (const u of urls.slice(0, urls.length - MAX_VISITED)) delete visited[u];
}

/** Drops the weakest topics beyond `MAX_PROFILE_TOPICS` (in place). */
function trimTopics(topics: Record<string, TopicState>, now: number, o?: AffinityOptions): void {
  const names = Object.keys(topics);
  if (names.length <= MAX_PROFILE_TOPICS) return;
  names.sort((a, b) => scoreAt(topics[a]!, now, o) - scoreAt(topics[b]!, now, o) || (a < b ? -1 : 1));
  for (const n of names.slice(0, names.length - MAX_PROFILE_TOPICS)) delete topics[n];
}

/** Whether the profile has visited the document (within the remembered ones). */
export const hasVisited = (state: AffinityState | undefined, url: string): boolean =>
  !!state && Object.hasOwn(state.visited, url);

/** Topic -> affinity (0–1) at `now`, strongest first; topics below 0.0001 are left out. */
export function topicAffinities(state: AffinityState, now: number, o?: AffinityOptions): Record<string, number> {
  const out: [string, number][] = [];
  for (const [topic, ts] of Object.entries(state.topics)) {
    const a = affinityOfScore(scoreAt(ts, now, o), o);
    if (a > 0) out.push([topic, a]);
  }
  out.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(out);
}

/**
 * The profile fields SegmentQL and `/personalize` see, computed at `now`:
 * - `topic_affinity` — topic -> 0–1 (`topic_affinity.hiking > 0.5`);
 * - `topic_visited` — topic -> views of documents with that topic;
 * - `topic_last_visit` — topic -> ISO time of the last such view
 *   (`topic_last_visit.hiking > "now-7d"`);
 * - `content_visited` — distinct documents remembered as visited;
 * - `content_views` — documents viewed (reloads excluded).
 */
export function affinityFields(
  state: AffinityState,
  now: number,
  o?: AffinityOptions,
): {
  topic_affinity: Record<string, number>;
  topic_visited: Record<string, number>;
  topic_last_visit: Record<string, string>;
  content_visited: number;
  content_views: number;
} {
  const topic_visited: Record<string, number> = {};
  const topic_last_visit: Record<string, string> = {};
  for (const [topic, ts] of Object.entries(state.topics)) {
    topic_visited[topic] = ts.n;
    topic_last_visit[topic] = new Date(ts.t).toISOString();
  }
  return {
    topic_affinity: topicAffinities(state, now, o),
    topic_visited,
    topic_last_visit,
    content_visited: Object.keys(state.visited).length,
    content_views: state.views,
  };
}

/**
 * When a topic's affinity, without new views, falls to `threshold` or
 * below: `t + H · log2(s / s*)` with `s* = K·θ' / (1 − θ')`, where
 * `θ' = θ + 0.00005` accounts for the 4-decimal rounding of shown values
 * (so the shown affinity is ≤ θ from then on); `ts.t` when it already is. Lets the profile object schedule re-evaluation of
 * audiences such as `topic_affinity.hiking > 0.5`.
 */
export function affinityFallsBelowAt(ts: TopicState, threshold: number, o?: AffinityOptions): number {
  if (threshold >= 1) return ts.t;
  if (threshold <= 0) return Infinity;
  const th = Math.min(threshold + 0.00005, 0.99999);
  const target = ((o?.saturation ?? DEFAULT_SATURATION) * th) / (1 - th);
  if (ts.s <= target) return ts.t;
  return ts.t + Math.ceil(halfLife(o) * Math.log2(ts.s / target));
}

/**
 * The state of two merged profiles: each topic's scores decayed to the
 * later of their times and added (counts summed), visited documents
 * united (latest visit kept), views summed; then bounded as usual.
 */
export function mergeAffinityStates(a: AffinityState, b: AffinityState, o?: AffinityOptions): AffinityState {
  const h = halfLife(o);
  const topics: Record<string, TopicState> = { ...a.topics };
  for (const [topic, tb] of Object.entries(b.topics)) {
    const ta = Object.hasOwn(topics, topic) ? topics[topic] : undefined;
    if (!ta) {
      topics[topic] = { ...tb };
      continue;
    }
    const t = Math.max(ta.t, tb.t);
    topics[topic] = { s: ta.s * decay(t - ta.t, h) + tb.s * decay(t - tb.t, h), t, n: ta.n + tb.n };
  }
  const visited = { ...a.visited };
  for (const [url, at] of Object.entries(b.visited)) visited[url] = Math.max(visited[url] ?? 0, at);
  trimVisited(visited);
  const latest = Math.max(0, ...Object.values(topics).map((ts) => ts.t));
  trimTopics(topics, latest, o);
  return { topics, visited, views: a.views + b.views };
}
