/**
 * Why each recommended document ranked where it did, for the console's
 * recommendation preview. It restates the scores of `recommend.ts` per
 * document: for `affinity`, each topic's share `a_k · w_k / Σ w` of the
 * confidence; for `popular`, the unique visitors and views; for `recent`,
 * the document's age.
 */
import type { ContentDocument, RankMode, RecommendedItem } from "../contract";
import { createdOf } from "../documents/document";

/** One topic's part in an affinity score. */
export interface TopicShare {
  topic: string;
  /** The document's weight of the topic. */
  weight: number;
  /** The visitor's affinity to the topic (0 when none). */
  affinity: number;
  /** `affinity · weight / Σ weights`: what the topic adds to the confidence. */
  contribution: number;
}

/** A recommended document with the reasons for its place. */
export interface ExplainedItem extends RecommendedItem {
  /** The mode that ranked it (`affinity` falls back to `popular` for a visitor without affinities). */
  rank: RankMode;
  unique_visitors: number;
  views: number;
  /** Topic shares, largest first (affinity mode; every topic of the document). */
  topics: TopicShare[];
  /** Sentences a marketer reads, most telling first. */
  reasons: string[];
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** Explains one recommended item, given its document, the rank mode used and the visitor's affinities. */
export function explainItem(
  item: RecommendedItem,
  doc: ContentDocument | null,
  rank: RankMode,
  affinities: Readonly<Record<string, number>>,
  now: number,
): ExplainedItem {
  const weights = Object.entries(doc?.topics ?? {});
  const sum = weights.reduce((s, [, w]) => s + w, 0);
  const topics = weights
    .map(([topic, weight]) => {
      const affinity = affinities[topic] ?? 0;
      return { topic, weight, affinity, contribution: sum > 0 ? round4((affinity * weight) / sum) : 0 };
    })
    .sort((a, b) => b.contribution - a.contribution || b.weight - a.weight);
  const unique = doc?.unique_visitors ?? 0;
  const views = doc?.views ?? 0;
  const reasons: string[] = [];
  if (rank === "affinity") {
    const matched = topics.filter((t) => t.contribution > 0);
    for (const t of matched.slice(0, 3))
      reasons.push(
        `matches the visitor's interest in ${t.topic} (affinity ${pct(t.affinity)} × topic weight ${pct(t.weight)} of the document)`,
      );
    if (!matched.length) reasons.push("shares no topic with the visitor's interests; placed by popularity");
    else if (matched.length < topics.length)
      reasons.push(
        `no interest in ${topics
          .filter((t) => t.contribution === 0)
          .map((t) => t.topic)
          .join(", ")}`,
      );
    reasons.push(`ties are broken by popularity: ${unique} unique visitors, ${views} views`);
  } else if (rank === "popular") {
    reasons.push(`read by ${unique} unique visitors (${views} views); the most read rank first`);
    if (weights.length === 0 || Object.keys(affinities).length === 0)
      reasons.push("the visitor has no topic affinities yet, so documents are ranked by popularity");
  } else {
    const created = Date.parse(item.created || (doc ? createdOf(doc) : ""));
    const days = Number.isFinite(created) ? Math.max(0, Math.floor((now - created) / 86_400_000)) : null;
    reasons.push(days === null ? "publication time unknown" : `published ${days} day${days === 1 ? "" : "s"} ago`);
    reasons.push("the newest rank first");
  }
  if (item.visited) reasons.push("the visitor has already seen it");
  return { ...item, rank, unique_visitors: unique, views, topics, reasons };
}
