/**
 * The content unit of message widgets (Pathfora's `a.pf-content-unit`,
 * `stack`ed in slideouts): empty unless the widget recommends content,
 * then the recommended (or default) document as plain text.
 */
import type { ResolvedWidget } from "../../types/widgets";
import { formatDate } from "../content";
import { safeUrl } from "../util";

/** Props of {@link ContentUnit}. */
export interface ContentUnitProps {
  w: ResolvedWidget;
  onClick(e: Event): void;
  onMouseEnter(): void;
}

/** A link card: image, title, "by author | date", description cut at a word. */
export function ContentUnit({ w, onClick, onMouseEnter }: ContentUnitProps) {
  const c = w.recommend && w.content?.[0];
  const d = w.recommend?.display || {};
  const limit = d.descriptionLimit || (w.layout == "modal" ? 220 : 160);
  let desc = c && c.description;
  if (desc && limit > 0 && desc.length > limit) desc = desc.slice(0, desc.lastIndexOf(" ", limit)) + "...";
  const info =
    c &&
    [d.author && c.author && "by " + c.author, d.date && c.date && formatDate(c.date, d.locale, d.dateOptions)]
      .filter(Boolean)
      .join(" | ");
  const img = c && d.image !== false && safeUrl(c.image);
  return (
    <a
      class={"pf-content-unit" + (w.layout == "slideout" ? " stack" : "")}
      href={c ? safeUrl(c.url) : undefined}
      onClick={onClick}
      onMouseEnter={onMouseEnter}
    >
      {img && <div class="pf-content-unit-img" style={{ backgroundImage: `url("${img}")` }} />}
      {c && (
        <div class="pf-content-unit-meta">
          {d.title !== false && c.title && <h4>{c.title}</h4>}
          {info && <span class="pf-content-unit-info">{info}</span>}
          {d.description !== false && desc && <p>{desc}</p>}
        </div>
      )}
    </a>
  );
}
