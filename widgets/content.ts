/**
 * Recommended content as widgets show it, and the personalization chunk
 * (`pathfora.recommend.min.js`: recommendation requests and inline
 * personalization), loaded on the first need.
 */
import type { ContentItem, RecommendConfig, RecommendedDocument } from "../types/widgets";
import { chunk } from "./env";

let loading: Promise<unknown> | undefined;

/** Loads the personalization chunk once (resolves also when it fails to load). */
export const personalize = (): Promise<unknown> =>
  (loading ||= new Promise((r) =>
    Object.assign(chunk("pathfora.recommend.min.js") as object, { onload: r, onerror: r }),
  ));

/** Recommended documents for the visitor (empty on any failure), through the chunk. */
export const recommend = async (p: RecommendConfig, account?: string): Promise<RecommendedDocument[]> => {
  await personalize();
  return window.pathfora!._rec?.(p, account) ?? [];
};

/** A recommended document as a content unit shows it. */
export const toContent = (d: RecommendedDocument): ContentItem => ({
  title: d.title,
  description: d.description,
  url: d.url,
  image: d.primary_image,
  date: d.created,
  author: d.author,
});

/** A date formatted with `pathfora.locale` and `dateOptions`. */
export const formatDate = (d: string, locale?: string, options?: Intl.DateTimeFormatOptions): string => {
  const pf = window.pathfora;
  return new Date(d).toLocaleDateString(locale || pf?.locale, options || pf?.dateOptions);
};
