/**
 * Tracking: every widget event goes to `jstag.send` in Pathfora's shape
 * (`pf-widget-*` fields, `pf-widget-content` for recommendations), minus
 * the keys the widget censors; it is recorded in Pathfora's data object
 * (`pathfora.getDataObject()`) and, with `pathfora.enableGA`, forwarded to
 * Google Analytics by a chunk loaded on demand (`pathfora.ga.min.js`).
 */
import type { FieldValue } from "../types/wire";
import type { DataObject, ResolvedWidget } from "../types/widgets";
import { chunk, tag } from "./env";

/** Pathfora's data object (reset by `clearAll`). */
export const data = {} as DataObject;

/** Empties the data object in place (its page view count stays). */
export const resetData = (): void =>
  void Object.assign(data, {
    timeSpentOnPage: 0,
    closedWidgets: [],
    completedActions: [],
    cancelledActions: [],
    displayedWidgets: [],
    abTestingGroups: {},
  });

/** Where each event is recorded in the data object. */
const LISTS: Record<string, keyof DataObject> = {
  show: "displayedWidgets",
  close: "closedWidgets",
  confirm: "completedActions",
  cancel: "cancelledActions",
};

/** Sends `event` for `w` with `extra` fields (`pf-widget-action`, `pf-form-*`, ...). */
export function track(event: string, w: ResolvedWidget, extra?: Record<string, FieldValue>): void {
  const d: Record<string, FieldValue> = {
    "pf-widget-id": w.id,
    "pf-widget-type": w.type,
    "pf-widget-layout": w.layout,
    "pf-widget-variant": w.variant,
  };
  if (w.recommend && w.content?.[0]) d["pf-widget-content"] = w.content[0] as Record<string, FieldValue>;
  Object.assign(d, extra, { "pf-widget-event": event });
  const list = LISTS[event.replace(/.*\./, "")];
  if (list && d["pf-widget-action"] != "content recommendation") (data[list] as unknown[]).push(d);
  const sent = { ...d };
  for (const k in sent)
    if (w.censorTrackingKeys?.some((c) => (typeof c == "string" ? c == k : c.test(k)))) delete sent[k];
  tag()?.send?.(sent);
  const pf = window.pathfora!;
  if (pf.enableGA === true && (typeof window.ga == "function" || typeof window.gtag == "function"))
    pf._ga ? pf._ga(d) : (pf._gaq ||= []).push(d) < 2 && chunk("pathfora.ga.min.js");
}
