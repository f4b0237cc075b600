/**
 * Topic extraction without any external service.
 *
 * A document's topics come from two sources, in this order:
 *
 * 1. **The publisher's labels**: `keywords` meta and `article:tag` meta
 *    (and the `keywords` of API documents), normalised by `normalizeTopic`
 *    (lower case, single spaces). Each gets weight 1.
 * 2. **Terms of the title and description, weighted against the account's
 *    corpus** (TF-IDF). Text is split into words (letters and digits,
 *    diacritics removed, lower-cased); English stop words, words shorter
 *    than 3 characters and numbers are dropped; plurals are folded by a
 *    light rule (`trails` → `trail`, `berries` → `berry`; words ending in
 *    `ss`, `us`, `is` or shorter than 5 letters are kept), no other
 *    stemming. For a term *t* of document *d*:
 *
 *        tf(t, d)  = 2 × (occurrences in the title) + (occurrences in the description)
 *        idf(t)    = ln(1 + N / df(t))     N = documents in the corpus, df = documents holding t
 *        score     = tf × idf
 *        weight    = 0.8 × score / (highest score in d)
 *
 *    The best `MAX_TERM_TOPICS` terms with weight ≥ `MIN_TERM_WEIGHT` are
 *    kept. A term that is also a label keeps weight 1.
 *
 * Weights are rounded to 4 decimals and topics ordered by weight, then name;
 * the output depends only on the document and the corpus statistics, so it
 * is stable for a given corpus. A marketer's topics (`manual_topics`)
 * replace extraction entirely (the caller does not call `extractTopics`).
 */
import type { CorpusStats } from "../contract";

/** Most term topics taken from title and description. */
export const MAX_TERM_TOPICS = 5;
/** Most topics per document (labels first). */
export const MAX_DOCUMENT_TOPICS = 12;
/** Lowest weight a term topic may have. */
export const MIN_TERM_WEIGHT = 0.2;
/** Weight of the best term (labels have 1). */
export const TERM_WEIGHT = 0.8;
/** Longest topic label kept (characters). */
export const MAX_TOPIC_LENGTH = 64;

/** English stop words (function words and very common verbs), matched after lower-casing. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all almost also am among an and any are aren't as at be because been before " +
    "being below between both but by can cannot could did do does doing don't down during each either else ever " +
    "every few for from further get gets getting got had has have having he her here hers herself him himself his " +
    "how however i if in into is isn't it it's its itself just least less let like made make makes many may me " +
    "might more most much must my myself neither no nor not now of off often on once one only or other our ours " +
    "ourselves out over own per quite rather really same say says she should since so some still such than that " +
    "the their theirs them themselves then there these they this those though through thus to too under until up " +
    "upon us use used very via was wasn't we well were what when where whether which while who whom whose why " +
    "will with within without would yet you your yours yourself yourselves new best top way ways thing things " +
    "know need want see look take come go going want good great"
  ).split(" "),
);

/** A label as a topic: trimmed, lower case, inner whitespace collapsed; "" when empty, too long or `__proto__`. */
export function normalizeTopic(label: string): string {
  const t = label.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");
  return t.length > MAX_TOPIC_LENGTH || t === "__proto__" ? "" : t;
}

/** A document frequency, reading own properties only (terms such as `constructor` are plain words). */
const dfOf = (corpus: CorpusStats, t: string): number => (Object.hasOwn(corpus.df, t) ? (corpus.df[t] ?? 0) : 0);

/** Labels from a `keywords` meta value (comma- or semicolon-separated), normalised, deduplicated, in order. */
export function splitKeywords(value: string | readonly string[]): string[] {
  const parts = typeof value === "string" ? value.split(/[,;]/) : value.flatMap((v) => v.split(/[,;]/));
  const out: string[] = [];
  for (const p of parts) {
    const t = normalizeTopic(p);
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

/** The light plural fold described above. */
export function foldPlural(word: string): string {
  if (word.length < 5 || /(ss|us|is)$/.test(word)) return word;
  if (word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

/** The terms of a text, in order, with stop words, short words and numbers removed, plurals folded. */
export function terms(text: string | undefined): string[] {
  if (!text) return [];
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’']/g, "'")
    .split(/[^\p{L}\p{N}']+/u);
  const out: string[] = [];
  for (const raw of words) {
    const w = raw.replace(/^'+|'+$/g, "");
    if (w.length < 3 || STOP_WORDS.has(w) || /^\d+$/.test(w)) continue;
    const base = foldPlural(w.replace(/'s$/, ""));
    if (base.length >= 3 && !STOP_WORDS.has(base)) out.push(base);
  }
  return out;
}

/** What a document contributes to the corpus: its distinct terms. */
export function documentTerms(doc: { title?: string; description?: string }): string[] {
  return [...new Set([...terms(doc.title), ...terms(doc.description)])].sort();
}

/** An empty corpus. */
export const emptyCorpus = (): CorpusStats => ({ documents: 0, df: {} });

/**
 * Adds (`sign` 1) or removes (`sign` −1) one document's distinct terms
 * (from `documentTerms`) to the corpus, in place. Remove the old terms
 * before adding the new ones when a document changes.
 */
export function updateCorpus(corpus: CorpusStats, docTerms: readonly string[], sign: 1 | -1): void {
  corpus.documents = Math.max(0, corpus.documents + sign);
  for (const t of docTerms) {
    const n = dfOf(corpus, t) + sign;
    if (n > 0) corpus.df[t] = n;
    else delete corpus.df[t];
  }
}

/** Corpus statistics of a whole collection. */
export function buildCorpus(docs: Iterable<{ title?: string; description?: string }>): CorpusStats {
  const corpus = emptyCorpus();
  for (const d of docs) updateCorpus(corpus, documentTerms(d), 1);
  return corpus;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * The topics of a document (see the module comment for the method).
 * The document should already be counted in `corpus`; if it is not, it
 * is treated as if it were (df at least 1, N at least 1).
 */
export function extractTopics(
  doc: { title?: string; description?: string; keywords?: readonly string[] },
  corpus: CorpusStats,
): Record<string, number> {
  const weights = new Map<string, number>();
  for (const k of splitKeywords(doc.keywords ?? [])) weights.set(k, 1);
  const tf = new Map<string, number>();
  for (const t of terms(doc.title)) tf.set(t, (tf.get(t) ?? 0) + 2);
  for (const t of terms(doc.description)) tf.set(t, (tf.get(t) ?? 0) + 1);
  const n = Math.max(1, corpus.documents);
  const scored: [string, number][] = [];
  for (const [t, f] of tf) {
    const df = Math.min(n, Math.max(1, dfOf(corpus, t)));
    scored.push([t, f * Math.log(1 + n / df)]);
  }
  const top = scored.reduce((m, [, s]) => Math.max(m, s), 0);
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  let taken = 0;
  for (const [t, s] of scored) {
    if (taken >= MAX_TERM_TOPICS) break;
    const w = round4((TERM_WEIGHT * s) / top);
    if (w < MIN_TERM_WEIGHT) break;
    taken++;
    if (!weights.has(t)) weights.set(t, w);
  }
  const ordered = [...weights].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(ordered.slice(0, MAX_DOCUMENT_TOPICS));
}
