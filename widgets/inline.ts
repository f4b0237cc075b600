/**
 * Inline personalization of the site's own markup:
 * - `data-pftrigger="<audience>"` (grouped by `data-pfgroup`): per group the
 *   first element whose audience the visitor is in shows, else the
 *   `data-pftrigger="default"` one; in the default group every match shows.
 * - `data-pfrecommend="<collection>"` blocks are filled with recommended
 *   documents (`data-pftype` title, image, description, url, published,
 *   author; `data-pfshuffle`); `data-pfrecommend="default"` blocks show for
 *   `data-pfblock`s left unfilled.
 * Shown elements get `data-pfmodified="true"`; scanned ones are skipped on
 * later scans. Part of the personalization chunk (`pathfora.recommend.min.js`).
 */
import type { RecommendedDocument } from "../types/widgets";
import { formatDate } from "./content";
import { segments, whenEntity } from "./env";
import { recommend } from "./recommend";
import { safeUrl } from "./util";

const MOD = "data-pfmodified";
const TRIGGER = "data-pftrigger";
const REC = "data-pfrecommend";

/** Marks an element scanned; shown ones lose their hiding attribute. */
const done = (el: Element, attr: string, show: boolean): void => {
  if (show) el.removeAttribute(attr);
  el.setAttribute(MOD, "" + show);
};

/** Elements not processed yet; they are listed in `pathfora.inline.elements`. */
const fresh = (attr: string): Element[] => {
  const els = [...document.querySelectorAll(`[${attr}]:not([${MOD}])`)];
  window.pathfora!.inline.elements.push(...els);
  return els;
};

const by = (els: Element[], key: (el: Element) => string): Record<string, Element[]> => {
  const out: Record<string, Element[]> = {};
  for (const el of els) (out[key(el)] ||= []).push(el);
  return out;
};

function triggers(): void {
  const seg = segments();
  const groups = by(fresh(TRIGGER), (el) => el.getAttribute("data-pfgroup") || "default");
  for (const g in groups) {
    const els = groups[g]!;
    const hit = els.filter((el) => seg.includes(el.getAttribute(TRIGGER)!));
    const show = g == "default" ? hit : hit.slice(0, 1);
    if (!show.length && g != "default")
      show.push(...els.filter((el) => el.getAttribute(TRIGGER) == "default").slice(0, 1));
    els.forEach((el) => done(el, TRIGGER, show.includes(el)));
  }
}

function fillBlock(el: Element, d: RecommendedDocument): void {
  const part = (t: string): HTMLElement | null => el.querySelector(`[data-pftype="${t}"]`);
  const text = (t: string, v?: string): void => {
    const p = part(t);
    if (p && v) p.textContent = v;
  };
  text("title", d.title);
  text("description", d.description);
  text("author", d.author);
  if (d.created) text("published", formatDate(d.created));
  const img = part("image");
  const src = safeUrl(d.primary_image);
  if (img && src)
    img instanceof HTMLImageElement ? (img.src = src) : img.style.setProperty("background-image", `url("${src}")`);
  const a = part("url");
  if (a) a instanceof HTMLAnchorElement ? (a.href = d.url) : (a.textContent = d.url);
}

async function recommendations(): Promise<void> {
  const sets = by(fresh(REC), (el) => el.getAttribute(REC) || "default");
  const block = (el: Element): string => el.getAttribute("data-pfblock") || "default";
  const filled = new Set<string>();
  await Promise.all(
    Object.keys(sets)
      .filter((r) => r != "default")
      .map(async (r) => {
        const els = sets[r]!;
        const docs = await recommend({
          contentsegment: r,
          shuffle: els.some((el) => el.getAttribute("data-pfshuffle") == "true") || undefined,
        });
        els.forEach((el, i) => {
          const d = docs[i];
          if (d) fillBlock(el, d), filled.add(block(el));
          done(el, REC, !!d);
        });
      }),
  );
  for (const el of sets.default || []) done(el, REC, !filled.has(block(el)));
}

/** Processes the inline elements not yet scanned, once the profile is known. */
export const scanInline = (): void => whenEntity(() => (triggers(), void recommendations()));
